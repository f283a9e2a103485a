import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { savePreferences } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';
import { pageHeaders, renderGonePage, renderPreferencePage } from './page.ts';
import { proofOf } from './proof.ts';

export const handler = httpRoute(consentRoute('savePreferences'), async ({ query, body, event }) => {
  const checked = body.subscribed === undefined ? [] : [body.subscribed].flat();
  const page = await savePreferences(consentDeps(), query.token, checked, proofOf(event));
  return {
    body: page ? renderPreferencePage(page, query.token, true) : renderGonePage(),
    headers: pageHeaders,
  };
});
