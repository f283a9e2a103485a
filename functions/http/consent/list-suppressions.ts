import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { listSuppressions } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(consentRoute('listSuppressions'), async ({ query }) => ({
  body: await listSuppressions(consentDeps(), query),
}));
