import { DOCS_CSP } from '#shared/capabilities/system/docs-assets';
import { systemRoute } from '#shared/capabilities/system/routes';
import { httpRoute } from '#shared/http/handler';

/**
 * The API reference: Swagger UI (`swagger-ui-dist`) over `GET /openapi.json`, with its files from
 * `GET /docs/assets/{file}`. URLs are relative to the page, so it works behind any base path.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relay CRM API — reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="openapi.json"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/assets/docs-init.js"></script>
</body>
</html>
`;

export const handler = httpRoute(systemRoute('docs'), () => ({
  body: DOCS_PAGE,
  headers: {
    'cache-control': 'public, max-age=300',
    'content-security-policy': DOCS_CSP,
    'x-content-type-options': 'nosniff',
  },
}));
