import { customerRoute } from '#shared/capabilities/customers/routes';
import { privacyDeps } from '#shared/deps';
import { eraseCustomer } from '#shared/domain/customers/service';
import { idempotentRoute } from '#shared/http/idempotent-route';

export const handler = idempotentRoute(customerRoute('eraseCustomer'), async ({ params, body, caller }) => ({
  body: await eraseCustomer(privacyDeps(), caller, params.id, body),
  headers: { location: `/customers/${params.id}/erasure` },
}));
