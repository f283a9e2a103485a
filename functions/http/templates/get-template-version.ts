import { templateRoute } from '#shared/capabilities/templates/routes';
import { templateStore } from '#shared/deps';
import { getTemplateVersion } from '#shared/domain/templates/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(templateRoute('getTemplateVersion'), async ({ params }) => ({
  body: await getTemplateVersion({ templates: templateStore() }, params.id, params.version),
}));
