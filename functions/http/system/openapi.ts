import { systemRoute } from '#shared/capabilities/system/routes';
import { httpRoute } from '#shared/http/handler';
import { openApiDocument } from '#shared/http/openapi';

export const handler = httpRoute(systemRoute('openapi'), () => ({
  body: openApiDocument(),
  headers: { 'cache-control': 'public, max-age=300' },
}));
