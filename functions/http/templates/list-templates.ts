import { templateRoute } from '#shared/capabilities/templates/routes';
import { templateStore } from '#shared/deps';
import { listTemplates } from '#shared/domain/templates/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(templateRoute('listTemplates'), async ({ query }) => ({
  body: await listTemplates({ templates: templateStore() }, query),
}));
