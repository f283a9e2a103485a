/**
 * The files of the API docs page (`GET /docs`, Swagger UI from the npm package `swagger-ui-dist`),
 * served by `GET /docs/assets/{file}` from the system function. This allow-list is the only thing
 * that route serves: a name not listed here is a 404, and a request never picks a path.
 *
 * In AWS the files sit next to the bundle (`index.mjs`): the system capability construct has CDK
 * copy each `source` there after bundling (`infra/constructs/capabilities/system.ts`). Running
 * from source (local cloud, tests) a package file is resolved through `node_modules`, and the
 * page's own init script sits next to the system function's modules (`functions/http/system/`).
 */

export interface DocsAsset {
  readonly contentType: string;
  /** The package file (`swagger-ui-dist/…`); absent for a file of `functions/http/system/`. */
  readonly package?: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

export const docsAssets: Readonly<Record<string, DocsAsset>> = {
  'swagger-ui-bundle.js': { contentType: JS, package: 'swagger-ui-dist/swagger-ui-bundle.js' },
  'swagger-ui.css': { contentType: CSS, package: 'swagger-ui-dist/swagger-ui.css' },
  'docs-init.js': { contentType: JS },
};

/** The content types the asset route answers with. */
export const docsAssetContentTypes: readonly string[] = [JS, CSS];

/** The asset of an allow-listed name; `undefined` for anything else (`__proto__` included). */
export const docsAsset = (file: string): DocsAsset | undefined =>
  Object.hasOwn(docsAssets, file) ? docsAssets[file] : undefined;

/** Where CDK finds each file, relative to the repository root (copied next to the bundle). */
export const docsAssetSources = (): string[] =>
  Object.entries(docsAssets).map(([file, asset]) =>
    asset.package ? `node_modules/${asset.package}` : `functions/http/system/${file}`,
  );

/**
 * The page's Content-Security-Policy: scripts and styles only from the API itself (no inline
 * script: Swagger UI starts from `docs-init.js`); Swagger UI sets inline styles and uses data:
 * images for its icons; no framing, no plugins, no `<base>` rewriting.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
