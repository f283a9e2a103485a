import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { putSuppression } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(consentRoute('putSuppression'), async ({ params, body, caller }) => ({
  body: await putSuppression(consentDeps(), caller, params.email, body),
}));
