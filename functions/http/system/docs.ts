import { docsPage } from '#shared/http/docs-page';
import { httpRoute } from '#shared/http/handler';
import { openApiDocument } from '#shared/http/openapi';

export const handler = httpRoute('docs', () => ({
  body: docsPage(openApiDocument()),
  headers: { 'cache-control': 'public, max-age=300' },
}));
