import { templateRoute } from '#shared/capabilities/templates/routes';
import { templateStore } from '#shared/deps';
import { getTemplate } from '#shared/domain/templates/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(templateRoute('getTemplate'), async ({ params }) => ({
  body: await getTemplate({ templates: templateStore() }, params.id),
}));
