import { customerRoute } from '#shared/capabilities/customers/routes';
import { customerDeps } from '#shared/deps';
import { listTimeline } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('listTimeline'), async ({ params, query }) => ({
  body: await listTimeline(customerDeps(), params.id, query),
}));
