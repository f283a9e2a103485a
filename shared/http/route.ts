/**
 * The shape of one HTTP route. Each capability declares its routes in
 * `shared/capabilities/<name>/routes.ts`; this module is the only thing those manifests and the
 * HTTP edge share, so an area function bundles its own manifest's schemas and nothing else.
 */
import type * as z from 'zod/mini';
import type { Scope } from '#shared/auth/roles';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef {
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: `/customers/{id}`. */
  path: string;
  /** The capability (area function) that serves the route. */
  area: string;
  /** Scope the caller needs; `null` marks a public route. */
  scope: Scope | null;
  summary: string;
  tag: string;
  request?: {
    params?: z.ZodMiniType;
    query?: z.ZodMiniType;
    body?: z.ZodMiniType;
  };
  /**
   * How the body is sent: JSON (default), or `form` — `application/x-www-form-urlencoded`, for HTML
   * forms and RFC 8058 one-click posts. A form field sent more than once arrives as an array.
   */
  bodyFormat?: 'json' | 'form';
  /**
   * Example request body for the API reference (prefills Swagger UI's try-it). Declared here, on
   * the route, not on the schema; test/contract/openapi.test.ts checks it against `request.body`.
   */
  example?: unknown;
  /**
   * Success status and schema; `null` schema means no body. `contentType` (default JSON): one, or
   * the list a route picks from per response (the handler sets the `content-type` header).
   */
  response: { status: number; schema: z.ZodMiniType | null; contentType?: string | readonly string[] };
  /** POST routes honour `Idempotency-Key`. */
  idempotent?: boolean;
  /**
   * Top-level response body fields that are never written to the idempotency record (secrets
   * shown once): the first response has them, a replay of the same key answers without them.
   */
  withheldOnReplay?: readonly string[];
  /**
   * Optimistic locking: `true` — PATCH/DELETE need `If-Match` or a body `version` (else 428);
   * `'optional'` — a body `version` is checked when sent (412 on mismatch) but not required.
   */
  versioned?: boolean | 'optional';
}

/** Declares one route, keeping its literal types (id, area, schemas) for typed handlers. */
export const route = <const T extends RouteDef>(def: T): T => def;

/** The content types a route's success response documents (`[]` for JSON). */
export const responseContentTypes = (r: Pick<RouteDef, 'response'>): readonly string[] => {
  const { contentType } = r.response;
  return contentType === undefined ? [] : typeof contentType === 'string' ? [contentType] : contentType;
};

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** A typed lookup by id over one manifest: `customersRoute('createCustomer')`. */
export const routeLookup =
  <R extends readonly RouteDef[]>(manifest: R) =>
  <I extends R[number]['id']>(id: I): Extract<R[number], { id: I }> => {
    const found = manifest.find((r) => r.id === id);
    if (!found) throw new Error(`unknown route ${id}`);
    return found as Extract<R[number], { id: I }>;
  };
