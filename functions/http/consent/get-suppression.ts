import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { getSuppression } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(consentRoute('getSuppression'), async ({ params }) => ({
  body: await getSuppression(consentDeps(), params.email),
}));
