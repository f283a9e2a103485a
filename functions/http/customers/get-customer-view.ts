import { customerRoute } from '#shared/capabilities/customers/routes';
import { appDeps } from '#shared/deps';
import { customerView } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('getCustomerView'), async ({ params, query }) => ({
  body: await customerView(appDeps(), params.id, query.latest),
}));
