import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { consentHistory } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(consentRoute('listConsentHistory'), async ({ params, query }) => ({
  body: await consentHistory(consentDeps(), params.id, query),
}));
