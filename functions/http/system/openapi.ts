import { httpRoute } from '#shared/http/handler';
import { openApiDocument } from '#shared/http/openapi';

export const handler = httpRoute('openapi', () => ({
  body: openApiDocument(),
  headers: { 'cache-control': 'public, max-age=300' },
}));
