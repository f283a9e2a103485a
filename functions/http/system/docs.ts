import { systemRoute } from '#shared/capabilities/system/routes';
import { docsPage } from '#shared/http/docs-page';
import { httpRoute } from '#shared/http/handler';
import { openApiDocument } from '#shared/http/openapi';

export const handler = httpRoute(systemRoute('docs'), () => ({
  body: docsPage(openApiDocument()),
  headers: { 'cache-control': 'public, max-age=300' },
}));
