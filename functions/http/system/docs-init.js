// Starts Swagger UI on the /docs page. A file of its own (GET /docs/assets/docs-init.js): the
// page's Content-Security-Policy allows no inline script. The OpenAPI URL is relative to the page.
const root = document.getElementById('swagger-ui');
if (root) {
  // `SwaggerUIBundle`: the global swagger-ui-bundle.js (loaded before this script) defines.
  window.ui = window.SwaggerUIBundle({
    url: new URL(root.dataset.openapiUrl ?? 'openapi.json', document.baseURI).href,
    domNode: root,
    deepLinking: true,
    filter: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    // The token stays in memory only (an access token lasts 1 h; no localStorage).
    persistAuthorization: false,
    // No calls to validator.swagger.io: the page talks to this API only.
    validatorUrl: null,
  });
}
