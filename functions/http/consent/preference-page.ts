import { consentRoute } from '#shared/capabilities/consent/routes';
import { consentDeps } from '#shared/deps';
import { preferencePage } from '#shared/domain/consent/service';
import { httpRoute } from '#shared/http/handler';
import { pageHeaders, renderGonePage, renderPreferencePage } from './page.ts';

export const handler = httpRoute(consentRoute('preferencePage'), async ({ query }) => {
  const page = await preferencePage(consentDeps(), query.token);
  return {
    body: page ? renderPreferencePage(page, query.token) : renderGonePage(),
    headers: pageHeaders,
  };
});
