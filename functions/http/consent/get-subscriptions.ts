import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { getSubscriptions } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(consentRoute('getSubscriptions'), async ({ params }) => ({
  body: await getSubscriptions(consentDeps(), params.id),
}));
