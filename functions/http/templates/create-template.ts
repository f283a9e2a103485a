import { templateRoute } from '#shared/capabilities/templates/routes';
import { templateDeps } from '#shared/deps';
import { createTemplate } from '#shared/domain/templates/service';
import { idempotentRoute } from '#shared/http/idempotent-route';

export const handler = idempotentRoute(templateRoute('createTemplate'), async ({ body }) => {
  const template = await createTemplate(templateDeps(), body);
  return { body: template, headers: { location: `/templates/${template.id}` } };
});
