/**
 * Writes docs/openapi.json, the OpenAPI 3.1 document of the route manifest (`npm run docs:api`).
 * The system function serves this file; test/contract/openapi.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '#shared/http/openapi';
import { OPENAPI_DOC_PATH } from '#shared/http/openapi-file';

const root = new URL('../', import.meta.url);
writeFileSync(new URL(OPENAPI_DOC_PATH, root), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${OPENAPI_DOC_PATH}\n`);
