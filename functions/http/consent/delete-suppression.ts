import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { deleteSuppression } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(consentRoute('deleteSuppression'), async ({ params }) => {
  await deleteSuppression(consentDeps(), params.email);
  return {};
});
