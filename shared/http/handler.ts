/**
 * The HTTP edge, written once: `httpRoute(id, fn)` turns a domain call into an API Gateway HTTP
 * API (payload v2) Lambda handler. The middy stack parses and validates the request against the
 * route manifest, authorizes the caller (route scope), applies Idempotency-Key and If-Match, runs
 * the domain call, and renders the reply; any thrown error becomes RFC 9457 problem+json.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod/mini';
import { type Caller, callerFromAuthorizer } from '#shared/auth/claims';
import { storageLimitError } from '#shared/db/dynamo';
import { ForbiddenError, NotFoundError, RelayError } from '#shared/errors';
import type { StoredResponse, validIdempotencyKey, withIdempotency } from '#shared/http/idempotency';
import { logger, redact } from '#shared/http/logger';
import { problemResponse } from '#shared/http/problem';
import { expectedVersionOf, parseRequest, versionBodyOf, versionOf } from '#shared/http/request';
import { type RequestContext, runWithRequestContext } from '#shared/http/request-context';
import { type RouteDef, responseContentTypes, routeKey } from '#shared/http/route';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

type Part<R, K extends string> = R extends { request: infer Q }
  ? Q extends Record<K, infer S extends z.ZodMiniType>
    ? z.output<S>
    : undefined
  : undefined;

export interface RouteInput<R extends RouteDef> {
  params: Part<R, 'params'>;
  query: Part<R, 'query'>;
  body: Part<R, 'body'>;
  /** The authenticated caller (public routes get an anonymous caller with no scopes). */
  caller: Caller;
  /**
   * The version from If-Match / body `version`: required on `versioned: true` routes (else 428),
   * `undefined` when an `'optional'` route gets neither, 0 on unversioned routes.
   */
  expectedVersion: R extends { versioned: 'optional' } ? number | undefined : number;
  event: HttpEvent;
}

/** What a route returns: a body (JSON unless `contentType` says otherwise), or a full reply. */
export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const anonymous: Caller = { sub: 'anonymous', roles: [], scopes: new Set(), isAdmin: false };

const correlationIdOf = (event: HttpEvent): string => {
  const given = event.headers?.['x-correlation-id'];
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : event.requestContext.requestId;
};

/**
 * The writer of this request for `lastChange` (shared/http/request-context.ts): the caller's sub
 * and roles, the correlation id and the client's source IP as API Gateway saw it.
 */
const requestContextOf = (event: HttpEvent, caller: Caller, correlationId: string): RequestContext => {
  const sourceIp = event.requestContext?.http?.sourceIp;
  return {
    actor: { type: 'user', id: caller.sub },
    roles: [...caller.roles],
    correlationId,
    ...(typeof sourceIp === 'string' && sourceIp !== '' ? { sourceIp } : {}),
  };
};

const render = (route: RouteDef, reply: Reply, correlationId: string): StoredResponse => {
  const status = reply.status ?? route.response.status;
  const headers: Record<string, string> = { 'x-correlation-id': correlationId, ...reply.headers };
  if (reply.body === undefined || status === 204) return { statusCode: status, headers, body: '' };
  const [contentType] = responseContentTypes(route);
  if (typeof reply.body === 'string' && contentType) {
    return {
      statusCode: status,
      headers: { 'content-type': contentType, ...headers },
      body: reply.body,
    };
  }
  const body = reply.body as { version?: unknown; id?: unknown };
  if (typeof body.version === 'number') headers.etag = `"${body.version}"`;
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(reply.body),
  };
};

/** Maps errors to problem+json and writes one access-log line per request (metadata only, no PII). */
const edge = (route: RouteDef): MiddlewareObj<HttpEvent, HttpResult> => {
  const started = new WeakMap<object, number>();
  const log = (event: HttpEvent, status: number, error?: unknown) => {
    const entry = {
      route: route.id,
      method: route.method,
      status,
      latencyMs: Date.now() - (started.get(event) ?? Date.now()),
    };
    if (status >= 500) {
      logger.error('request failed', {
        ...entry,
        // Error messages can carry data from the request (an email in a DynamoDB message, say):
        // the message is scrubbed, the stack frames (code locations) are kept.
        error:
          error instanceof Error
            ? { type: error.name, stack: redact(error.stack ?? error.message) }
            : { type: typeof error, value: redact(String(error)) },
      });
    } else if (error instanceof RelayError) {
      logger.info('request rejected', { ...entry, problem: error.slug });
    } else {
      logger.info('request handled', entry);
    }
  };
  return {
    before: (request) => {
      started.set(request.event, Date.now());
      logger.appendKeys({ correlationId: correlationIdOf(request.event) });
    },
    after: (request) => {
      log(request.event, request.response?.statusCode ?? 200);
    },
    onError: (request) => {
      const correlationId = correlationIdOf(request.event);
      // A write DynamoDB refused for its size limit is the client's record growing too large: a 413.
      const error = storageLimitError(request.error) ?? request.error;
      const response = problemResponse(error, request.event.rawPath ?? route.path, correlationId);
      log(request.event, response.statusCode, error);
      request.response = response;
    },
  };
};

const authorize = (route: RouteDef, event: HttpEvent): Caller => {
  if (route.scope === null) return anonymous;
  const caller = callerFromAuthorizer(event.requestContext.authorizer?.jwt);
  if (!caller.scopes.has(route.scope)) {
    throw new ForbiddenError(`Your role does not allow this (needs the ${route.scope} scope).`);
  }
  logger.appendKeys({ callerId: caller.sub });
  return caller;
};

/** The response as the idempotency record keeps it: without the route's withheld body fields. */
const withholding = (response: StoredResponse, fields: readonly string[] | undefined): StoredResponse => {
  if (!fields?.length || !response.body) return response;
  const body = JSON.parse(response.body) as Record<string, unknown>;
  for (const field of fields) delete body[field];
  return { ...response, body: JSON.stringify(body) };
};

/** How an idempotent route runs (`shared/http/idempotent-route.ts` passes Powertools idempotency). */
export interface Idempotency {
  validKey: typeof validIdempotencyKey;
  run: typeof withIdempotency;
}

/**
 * One route's handler. It takes the route definition from its capability's manifest
 * (`httpRoute(customerRoute('getCustomer'), …)`), so a handler bundles only that manifest. A route
 * the manifest marks `idempotent` is built with `idempotentRoute` instead, which hands in the
 * idempotency runner: an area without such routes does not load Powertools idempotency. The
 * mismatch either way fails at module load.
 */
export const httpRoute = <R extends RouteDef>(
  route: R,
  fn: (input: RouteInput<R>) => Promise<Reply | undefined> | Reply | undefined,
  idempotency?: Idempotency,
): HttpHandler => {
  if (Boolean(route.idempotent) !== (idempotency !== undefined)) {
    throw new Error(
      route.idempotent
        ? `Route ${route.id} honours Idempotency-Key: build its handler with idempotentRoute (shared/http/idempotent-route.ts)`
        : `Route ${route.id} is not idempotent in its manifest: build its handler with httpRoute`,
    );
  }
  const core = async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    const caller = authorize(route, event);
    const { params, query, body } = parseRequest(route, event);
    const headers = event.headers ?? {};
    // A route with a body schema carries `version` in it; a versioned DELETE may send `{"version": n}`.
    const bodyVersion = route.request?.body
      ? (body as { version?: unknown } | undefined)?.version
      : route.versioned
        ? versionBodyOf(event)
        : undefined;
    const expectedVersion =
      route.versioned === true
        ? expectedVersionOf(headers, bodyVersion)
        : route.versioned === 'optional'
          ? versionOf(headers, bodyVersion)
          : 0;
    const correlationId = correlationIdOf(event);
    const execute = async () =>
      render(
        route,
        (await fn({ params, query, body, caller, expectedVersion, event } as RouteInput<R>)) ?? {},
        correlationId,
      );
    const key = headers['idempotency-key'];
    const writer = requestContextOf(event, caller, correlationId);
    if (!idempotency || key === undefined) return runWithRequestContext(writer, execute);
    let fresh: StoredResponse | undefined;
    const stored = await runWithRequestContext(writer, () =>
      idempotency.run(
        `${route.id}:${caller.sub}`,
        idempotency.validKey(key),
        { params: event.pathParameters ?? {}, body: event.body ?? '' },
        context,
        async () => {
          fresh = await execute();
          return withholding(fresh, route.withheldOnReplay);
        },
      ),
    );
    // This request ran: the caller gets the full response; a replay gets the stored one, marked.
    if (fresh) return { ...fresh, headers: { ...fresh.headers, 'x-correlation-id': correlationId } };
    return {
      ...stored,
      headers: { ...stored.headers, 'idempotent-replayed': 'true', 'x-correlation-id': correlationId },
    };
  };
  return middy<HttpEvent, HttpResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(edge(route))
    .handler(core) as unknown as HttpHandler;
};

/**
 * An area's Lambda: dispatches on `routeKey` to the route handlers of its capability's manifest
 * (`shared/capabilities/<area>/routes.ts`). Every route of the manifest must have a handler — a
 * compile error, and a gap still fails at module load, not at request time.
 */
export const router = <R extends readonly RouteDef[]>(
  area: string,
  manifest: R,
  handlers: Record<R[number]['id'], HttpHandler>,
): HttpHandler => {
  const byKey = new Map<string, HttpHandler>();
  for (const route of manifest) {
    if (route.area !== area) throw new Error(`Route ${route.id} belongs to ${route.area}, not ${area}`);
    const handler = (handlers as Record<string, HttpHandler | undefined>)[route.id];
    if (!handler) throw new Error(`Area ${area} has no handler for route ${route.id}`);
    byKey.set(routeKey(route), handler);
  }
  return async (event, context) => {
    const handler = byKey.get(event.routeKey);
    if (!handler) {
      return problemResponse(
        new NotFoundError(`No route ${event.routeKey} in the ${area} area.`),
        event.rawPath ?? '/',
        event.requestContext?.requestId ?? 'unknown',
      );
    }
    return handler(event, context);
  };
};
