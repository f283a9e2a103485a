import { customerRoute } from '#shared/capabilities/customers/routes';
import { customerDeps } from '#shared/deps';
import { getCustomer } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('getCustomer'), async ({ params }) => ({
  body: await getCustomer(customerDeps(), params.id),
}));
