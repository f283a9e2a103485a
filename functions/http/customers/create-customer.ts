import { customerRoute } from '#shared/capabilities/customers/routes';
import { customerDeps } from '#shared/deps';
import { createCustomer } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('createCustomer'), async ({ body, caller }) => {
  const customer = await createCustomer(customerDeps(), caller, body);
  return { body: customer, headers: { location: `/customers/${customer.id}` } };
});
