import { customerRoute } from '#shared/capabilities/customers/routes';
import { appDeps } from '#shared/deps';
import { eraseCustomer } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('eraseCustomer'), async ({ params, body, caller }) => ({
  body: await eraseCustomer(appDeps(), caller, params.id, body),
  headers: { location: `/customers/${params.id}/erasure` },
}));
