import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { changeSubscriptions } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(
  consentRoute('putSubscriptions'),
  async ({ params, body, caller, expectedVersion }) => ({
    body: await changeSubscriptions(consentDeps(), caller, params.id, body, expectedVersion),
  }),
);
