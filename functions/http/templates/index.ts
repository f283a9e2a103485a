/** The templates area function: email templates, their versions and previews. */
import { templatesRoutes } from '#shared/capabilities/templates/routes';
import { router } from '#shared/http/handler';
import { handler as createTemplate } from './create-template.ts';
import { handler as deleteTemplate } from './delete-template.ts';
import { handler as getTemplate } from './get-template.ts';
import { handler as getTemplateVersion } from './get-template-version.ts';
import { handler as listTemplates } from './list-templates.ts';
import { handler as previewTemplate } from './preview-template.ts';
import { handler as updateTemplate } from './update-template.ts';

export const handler = router('templates', templatesRoutes, {
  createTemplate,
  listTemplates,
  getTemplate,
  updateTemplate,
  deleteTemplate,
  getTemplateVersion,
  previewTemplate,
});
