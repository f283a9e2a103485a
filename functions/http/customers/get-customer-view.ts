import { customerRoute } from '#shared/capabilities/customers/routes';
import { customerDeps } from '#shared/deps';
import { customerView } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('getCustomerView'), async ({ params, query }) => ({
  body: await customerView(customerDeps(), params.id, query.latest),
}));
