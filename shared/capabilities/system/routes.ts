/**
 * Route manifest of the system capability: health, the OpenAPI document, the docs page and its files (public). The area function
 * (`functions/http/system/index.ts`) imports this file and nothing of the other capabilities.
 * New system routes are added here (one `route({…})` entry each, `area: 'system'`).
 */
import * as z from 'zod/mini';
import { route, routeLookup } from '#shared/http/route';
import { docsAssetContentTypes, docsAssets } from './docs-assets.ts';

export const systemRoutes = [
  route({
    id: 'health',
    method: 'GET',
    path: '/health',
    area: 'system',
    scope: null,
    summary: 'Liveness check',
    tag: 'System',
    response: { status: 200, schema: z.object({ status: z.literal('ok'), stage: z.string() }) },
  }),
  route({
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    area: 'system',
    scope: null,
    summary: 'This API’s OpenAPI 3.1 document',
    tag: 'System',
    response: { status: 200, schema: z.record(z.string(), z.unknown()) },
  }),
  route({
    id: 'docs',
    method: 'GET',
    path: '/docs',
    area: 'system',
    scope: null,
    summary: 'API reference (Swagger UI: navigation, Authorize with a bearer token, try-it)',
    tag: 'System',
    response: { status: 200, schema: z.string(), contentType: 'text/html' },
  }),
  route({
    id: 'docsAsset',
    method: 'GET',
    path: '/docs/assets/{file}',
    area: 'system',
    scope: null,
    summary: `A file of the docs page: ${Object.keys(docsAssets).join(', ')} (anything else is a 404)`,
    tag: 'System',
    request: { params: z.strictObject({ file: z.string() }) },
    response: { status: 200, schema: z.string(), contentType: docsAssetContentTypes },
  }),
] as const;

/** Typed lookup of one system route by id (for `httpRoute`). */
export const systemRoute = routeLookup(systemRoutes);
