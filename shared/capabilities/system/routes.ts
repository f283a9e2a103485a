/**
 * Route manifest of the system capability: health, the OpenAPI document and the docs page (public). The area function
 * (`functions/http/system/index.ts`) imports this file and nothing of the other capabilities.
 * New system routes are added here (one `route({…})` entry each, `area: 'system'`).
 */
import * as z from 'zod/mini';
import { route, routeLookup } from '#shared/http/route';

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
    summary: 'Human-readable API reference',
    tag: 'System',
    response: { status: 200, schema: null, contentType: 'text/html' },
  }),
] as const;

/** Typed lookup of one system route by id (for `httpRoute`). */
export const systemRoute = routeLookup(systemRoutes);
