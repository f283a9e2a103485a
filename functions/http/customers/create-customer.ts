import { customerRoute } from '#shared/capabilities/customers/routes';
import { customerDeps } from '#shared/deps';
import { createCustomer } from '#shared/domain/customers/service';
import { idempotentRoute } from '#shared/http/idempotent-route';

export const handler = idempotentRoute(customerRoute('createCustomer'), async ({ body, caller }) => {
  const customer = await createCustomer(customerDeps(), caller, body);
  return { body: customer, headers: { location: `/customers/${customer.id}` } };
});
