/**
 * Where the generated OpenAPI document lives: `docs/openapi.json` in the repository (written by
 * `npm run docs:api` from `shared/http/openapi.ts`), copied next to the system function's bundle
 * as `openapi.json`.
 */
export const OPENAPI_DOC_PATH = 'docs/openapi.json';
export const OPENAPI_DOC_FILE = 'openapi.json';
