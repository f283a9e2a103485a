import { systemRoute } from '#shared/capabilities/system/routes';
import { httpRoute } from '#shared/http/handler';
import { OPENAPI_DOC_FILE, OPENAPI_DOC_PATH } from '#shared/http/openapi-file';
import { readBundledFile } from './bundled-file.ts';

/**
 * The document generated from the route manifest (`npm run docs:api`, checked current by
 * test/contract/openapi.test.ts), read once per container: the system function does not load
 * every area's schemas to build it at run time.
 */
let document: unknown;

export const handler = httpRoute(systemRoute('openapi'), () => {
  document ??= JSON.parse(
    readBundledFile(OPENAPI_DOC_FILE, new URL(`../../../${OPENAPI_DOC_PATH}`, import.meta.url)),
  );
  return {
    body: document as Record<string, unknown>,
    headers: { 'cache-control': 'public, max-age=300' },
  };
});
