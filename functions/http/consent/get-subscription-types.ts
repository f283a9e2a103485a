import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { getSubscriptionTypes } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(consentRoute('getSubscriptionTypes'), async () => ({
  body: await getSubscriptionTypes(consentDeps()),
}));
