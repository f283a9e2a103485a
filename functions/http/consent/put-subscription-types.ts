import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { putSubscriptionTypes } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(consentRoute('putSubscriptionTypes'), async ({ body, expectedVersion }) => ({
  body: await putSubscriptionTypes(consentDeps(), body, expectedVersion),
}));
