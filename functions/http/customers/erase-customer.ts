import { customerRoute } from '#shared/capabilities/customers/routes';
import { privacyDeps } from '#shared/deps';
import { eraseCustomer } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('eraseCustomer'), async ({ params, body, caller }) => ({
  body: await eraseCustomer(privacyDeps(), caller, params.id, body),
  headers: { location: `/customers/${params.id}/erasure` },
}));
