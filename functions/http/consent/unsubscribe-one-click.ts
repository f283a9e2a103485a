import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { oneClickUnsubscribe } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';
import { proofOf } from './proof.ts';

/** RFC 8058: the mail client posts `List-Unsubscribe=One-Click`; it takes effect at once. */
export const handler = httpRoute(consentRoute('unsubscribeOneClick'), async ({ query, event }) => {
  await oneClickUnsubscribe(consentDeps(), query.token, proofOf(event));
  return { headers: { 'cache-control': 'no-store' } };
});
