import { customerRoute } from '#shared/capabilities/customers/routes';
import { customerDeps } from '#shared/deps';
import { updateCustomer } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(
  customerRoute('updateCustomer'),
  async ({ params, body, caller, expectedVersion }) => ({
    body: await updateCustomer(customerDeps(), caller, params.id, body, expectedVersion),
  }),
);
