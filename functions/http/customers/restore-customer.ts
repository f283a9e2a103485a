import { customerRoute } from '#shared/capabilities/customers/routes';
import { privacyDeps } from '#shared/deps';
import { restoreCustomer } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('restoreCustomer'), async ({ params, caller }) => ({
  body: await restoreCustomer(privacyDeps(), caller, params.id),
}));
