import { customerRoute } from '#shared/capabilities/customers/routes';
import { customerDeps } from '#shared/deps';
import { listCustomers } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('listCustomers'), async ({ query }) => ({
  body: await listCustomers(customerDeps(), query),
}));
