import { customerRoute } from '#shared/capabilities/customers/routes';
import { privacyDeps } from '#shared/deps';
import { restoreCustomer } from '#shared/domain/customers/service';
import { idempotentRoute } from '#shared/http/idempotent-route';

export const handler = idempotentRoute(customerRoute('restoreCustomer'), async ({ params, caller }) => ({
  body: await restoreCustomer(privacyDeps(), caller, params.id),
}));
