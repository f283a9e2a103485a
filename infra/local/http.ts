/**
 * The local API Gateway: a node:http server that plays API Gateway HTTP API (payload format 2.0,
 * JWT authorizer) in front of the area functions, driven by the one route manifest.
 *
 * Per request: match a manifest route (404 / 405 problems otherwise) → enforce the 10 MB payload
 * limit (413) → for protected routes verify the bearer token and the route scope like the JWT
 * authorizer (401 / 403) → build the v2 event and a Lambda-like context → call the area's
 * `handler` (imported lazily from `areaEntry(area)`, cached) → write the structured result.
 * Failures the gateway itself answers are RFC 9457 problem+json; a throwing handler becomes a 500
 * problem with a correlation id and never takes the server down. Request bodies are never logged.
 */

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import {
  isPreflight,
  type LocalCors,
  preflightHeaders,
  responseCorsHeaders,
  withoutCorsHeaders,
} from '#infra/local/cors';
import { type DevKeys, loadDevSecrets, repoRoot } from '#infra/local/dev-secrets';
import {
  isLoopbackAddress,
  type LocalCloudParts,
  localEventsSnapshot,
  renderLocalEventsHtml,
} from '#infra/local/events-page';
import { invokeAsFunction, LambdaTimeoutError, lambdaContext, localFunctionFor } from '#infra/local/lambda';
import { TokenVerificationError, verifyToken } from '#infra/local/tokens';
import { fullScope } from '#shared/auth/roles';
import {
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  type RelayError,
  UnauthorizedError,
} from '#shared/errors';
import { type Area, areaEntry, type Route, routeKey, routes } from '#shared/routes';

/** API Gateway's request payload limit (10 MB). */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway HTTP API's maximum integration timeout (past it: 503 Service Unavailable). */
export const INTEGRATION_TIMEOUT_MS = 30_000;
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_API_ID = 'relaylocal';
const _REGION = 'us-east-1';
const PROBLEM_BASE = 'https://relay.dev/problems/';

export type LocalHttpEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;
export type AreaHandler = (event: LocalHttpEvent, context: Context) => Promise<unknown>;

export interface LocalApiLogger {
  info(message: string): void;
  error(message: string): void;
}

export interface LocalApiOptions {
  /** Port to listen on; `0` picks a free one. */
  port: number;
  /** Interface to bind (default `127.0.0.1`). */
  host?: string;
  /** Keys that verify bearer tokens (default: the dev keys in `.relay/`). */
  keys?: DevKeys;
  /** Replace an area's handler (tests); other areas load from `areaEntry(area)`. */
  handlers?: Partial<Record<Area, AreaHandler>>;
  /** Log one line per request (method, path without query, status, ms). Default false. */
  logRequests?: boolean;
  /** Where log lines go (default: console). */
  logger?: LocalApiLogger;
  /** Integration timeout in ms (default 30 000, API Gateway's maximum). */
  timeoutMs?: number;
  /** Serves `GET /_local/events` (HTML, or JSON with `?format=json`) from these parts of the local cloud. */
  localCloud?: LocalCloudParts;
  /**
   * The stage's CORS configuration (`localCorsOf(stageConfig(…).api.cors)`), applied as the HTTP
   * API does (`infra/local/cors.ts`). Without it, no preflight is answered and no CORS header added.
   */
  cors?: LocalCors;
}

/** The local-only status page of the event backbone (not an API Gateway route). */
export const LOCAL_EVENTS_PATH = '/_local/events';

export interface LocalApi {
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

// ── routing ──────────────────────────────────────────────────────────────────────────────────

interface CompiledRoute {
  route: Route;
  key: string;
  segments: ReadonlyArray<{ literal: string } | { param: string }>;
  literals: number;
}

const compile = (route: Route): CompiledRoute => {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((segment) => {
      const param = /^\{([^}]+)\}$/.exec(segment)?.[1];
      return param ? { param } : { literal: segment };
    });
  return { route, key: routeKey(route), segments, literals: segments.filter((s) => 'literal' in s).length };
};

const compiled: readonly CompiledRoute[] = routes.map(compile);

export type RouteMatch =
  | { kind: 'route'; route: Route; routeKey: string; pathParameters: Record<string, string> | undefined }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

const matchPath = (candidate: CompiledRoute, parts: string[]): Record<string, string> | undefined => {
  if (candidate.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of candidate.segments.entries()) {
    const part = parts[index] ?? '';
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.param] = decodeSegment(part);
    }
  }
  return params;
};

/** Matches a request against the manifest; the most specific template (most literal segments) wins. */
export const matchRoute = (method: string, rawPath: string): RouteMatch => {
  const parts = rawPath.split('/').slice(1);
  const byPath = compiled
    .map((candidate) => ({ candidate, params: matchPath(candidate, parts) }))
    .filter((m): m is { candidate: CompiledRoute; params: Record<string, string> } => m.params !== undefined);
  if (byPath.length === 0) return { kind: 'not-found' };
  const forMethod = byPath
    .filter((m) => m.candidate.route.method === method)
    .sort((a, b) => b.candidate.literals - a.candidate.literals);
  const best = forMethod[0];
  if (!best) {
    return { kind: 'method-not-allowed', allow: [...new Set(byPath.map((m) => m.candidate.route.method))] };
  }
  const hasParams = Object.keys(best.params).length > 0;
  return {
    kind: 'route',
    route: best.candidate.route,
    routeKey: best.candidate.key,
    pathParameters: hasParams ? best.params : undefined,
  };
};

// ── event rendering ─────────────────────────────────────────────────────────────────────────

/** Content types API Gateway passes as text; any other body (or none declared) arrives base64. */
export const isTextContentType = (contentType: string | undefined): boolean => {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript'
  );
};

/** Raw header pairs → lower-cased names, duplicates comma-joined; `cookie` split out into `cookies`. */
export const renderHeaders = (
  rawHeaders: readonly string[],
): { headers: Record<string, string>; cookies: string[] } => {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase();
    const value = rawHeaders[index + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((cookie) => cookie.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
};

/** Query string → decoded parameters, repeated keys comma-joined; `undefined` when empty. */
export const renderQuery = (rawQueryString: string): Record<string, string> | undefined => {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');
/** API Gateway's `requestContext.time`: `23/Nov/2026:16:04:05 +0000`. */
export const formatRequestTime = (date: Date): string =>
  `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;

/** API Gateway-style request id (`JKJaXmPLvHcESHA=`). */
const gatewayRequestId = (): string => randomBytes(10).toString('base64');
const traceId = (epochMs: number): string =>
  `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

const sourceIpOf = (request: IncomingMessage): string => {
  const address = request.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
};

interface RenderInput {
  request: IncomingMessage;
  match: Extract<RouteMatch, { kind: 'route' }>;
  rawPath: string;
  rawQueryString: string;
  body: Buffer;
  requestId: string;
  now: Date;
  serverPort: number;
  jwt?: { claims: Record<string, string>; scopes: string[] | null };
}

const renderEvent = (input: RenderInput): LocalHttpEvent => {
  const { request, match, now } = input;
  const { headers, cookies } = renderHeaders(request.rawHeaders);
  const sourceIp = sourceIpOf(request);
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${sourceIp}`
    : sourceIp;
  headers['x-forwarded-port'] = String(input.serverPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] = traceId(now.getTime());
  const domainName = headers.host ?? `localhost:${input.serverPort}`;
  const hasBody = input.body.length > 0;
  const text = isTextContentType(headers['content-type']);
  const event: LocalHttpEvent = {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(renderQuery(input.rawQueryString)
      ? { queryStringParameters: renderQuery(input.rawQueryString) }
      : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      ...(input.jwt ? { authorizer: { jwt: input.jwt } } : {}),
      domainName,
      domainPrefix: domainName.split('.')[0]?.split(':')[0] ?? domainName,
      http: {
        method: request.method ?? 'GET',
        path: input.rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: match.routeKey,
      stage: '$default',
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(match.pathParameters ? { pathParameters: match.pathParameters } : {}),
    ...(hasBody ? { body: text ? input.body.toString('utf8') : input.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !text,
  };
  return event;
};

// ── responses ────────────────────────────────────────────────────────────────────────────────

interface ProblemInput {
  status: number;
  slug: string;
  title: string;
  detail: string;
  instance: string;
  correlationId: string;
  headers?: Record<string, string>;
}

const problemOf = (
  error: RelayError,
  instance: string,
  correlationId: string,
  headers?: Record<string, string>,
) => ({
  status: error.status,
  slug: error.slug,
  title: error.title,
  detail: error.message,
  instance,
  correlationId,
  headers,
});

const sendProblem = (response: ServerResponse, problem: ProblemInput): void => {
  const body = JSON.stringify({
    type: `${PROBLEM_BASE}${problem.slug}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: problem.instance,
    correlationId: problem.correlationId,
  });
  response.writeHead(problem.status, {
    ...problem.headers,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'apigw-requestid': problem.correlationId,
    'x-correlation-id': problem.correlationId,
  });
  response.end(body);
};

const isStructured = (result: unknown): result is APIGatewayProxyStructuredResultV2 =>
  typeof result === 'object' && result !== null && 'statusCode' in result;

/** Writes a payload 2.0 result; a result without `statusCode` is inferred as a 200 JSON body, like API Gateway. */
const sendResult = (
  response: ServerResponse,
  result: unknown,
  requestId: string,
  corsConfigured: boolean,
): number => {
  const structured: APIGatewayProxyStructuredResultV2 = isStructured(result)
    ? result
    : {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
      };
  const statusCode = structured.statusCode ?? 200;
  let headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (corsConfigured) {
    // API Gateway ignores the function's CORS headers; its own were set on `response` before.
    headers = withoutCorsHeaders(headers);
    const gatewayVary = response.getHeader('vary');
    if (typeof headers.vary === 'string' && typeof gatewayVary === 'string') {
      headers.vary = `${headers.vary}, ${gatewayVary}`;
    }
  }
  if (structured.cookies && structured.cookies.length > 0) headers['set-cookie'] = structured.cookies;
  const body =
    structured.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
  if (body.length > 0 && !headers['content-type']) headers['content-type'] = 'application/json';
  headers['apigw-requestid'] = requestId;
  if (statusCode !== 204 && statusCode !== 304) headers['content-length'] = String(body.length);
  response.writeHead(statusCode, headers);
  response.end(statusCode === 204 || statusCode === 304 ? undefined : body);
  return statusCode;
};

// ── request pipeline ────────────────────────────────────────────────────────────────────────

class PayloadTooLarge extends Error {}

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((done, fail) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_PAYLOAD_BYTES) {
      fail(new PayloadTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        fail(new PayloadTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!tooLarge) done(Buffer.concat(chunks));
    });
    request.on('error', fail);
  });

/** After answering early, discard (a bounded amount of) the unread body so the client sees the response. */
const drain = (request: IncomingMessage, response: ServerResponse): void => {
  let discarded = 0;
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > 8 * MAX_PAYLOAD_BYTES) request.socket.destroy();
  });
  request.resume();
  response.on('finish', () => {
    if (!request.complete) setTimeout(() => request.socket.destroy(), 1_000).unref();
  });
};

const bearerToken = (authorization: string | undefined): string | undefined => {
  if (!authorization) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  if (match) return match[1];
  return /^\S+$/.test(authorization.trim()) ? authorization.trim() : undefined;
};

const TIMED_OUT = Symbol('timed out');

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> =>
  new Promise((done, fail) => {
    const timer = setTimeout(() => done(TIMED_OUT), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        done(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        fail(error);
      },
    );
  });

const describeError = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);

/**
 * Starts the local API. Resolves once listening; rejects with a clear message when the port is
 * taken (`error.code === 'EADDRINUSE'`).
 */
export const startLocalApi = async (options: LocalApiOptions): Promise<LocalApi> => {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? { info: (m) => console.info(m), error: (m) => console.error(m) };
  const timeoutMs = options.timeoutMs ?? INTEGRATION_TIMEOUT_MS;
  const keys = options.keys ?? (await loadDevSecrets()).keys;
  const loaded = new Map<Area, Promise<AreaHandler>>();

  const handlerFor = (area: Area): Promise<AreaHandler> => {
    const override = options.handlers?.[area];
    if (override) return Promise.resolve(override);
    let pending = loaded.get(area);
    if (!pending) {
      const entry = areaEntry(area);
      pending = import(pathToFileURL(join(repoRoot, entry)).href).then((module: { handler?: unknown }) => {
        if (typeof module.handler !== 'function')
          throw new Error(`${entry} does not export a handler function`);
        return module.handler as AreaHandler;
      });
      // A failed import (file not written yet, syntax error) is retried on the next request.
      pending.catch(() => loaded.delete(area));
      loaded.set(area, pending);
    }
    return pending;
  };

  let port = options.port;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<number> => {
    const now = new Date();
    const requestId = gatewayRequestId();
    const rawUrl = request.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const rawQueryString = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
    const method = (request.method ?? 'GET').toUpperCase();
    const answer = (problem: ReturnType<typeof problemOf>): number => {
      drain(request, response);
      sendProblem(response, problem);
      return problem.status;
    };

    if (options.cors) {
      const corsRequest = { method, headers: request.headers };
      // Preflights are the gateway's: 204 for any path, never a function call.
      if (isPreflight(corsRequest)) {
        request.resume();
        response.writeHead(204, {
          ...preflightHeaders(options.cors, corsRequest),
          'apigw-requestid': requestId,
        });
        response.end();
        return 204;
      }
      for (const [name, value] of Object.entries(responseCorsHeaders(options.cors, corsRequest))) {
        response.setHeader(name, value);
      }
    }

    // Loopback clients only (events-page.ts); others fall through to the 404 of an unknown route.
    if (
      rawPath === LOCAL_EVENTS_PATH &&
      options.localCloud &&
      (method === 'GET' || method === 'HEAD') &&
      isLoopbackAddress(request.socket.remoteAddress)
    ) {
      request.resume();
      const snapshot = localEventsSnapshot(options.localCloud);
      const json = new URLSearchParams(rawQueryString).get('format') === 'json';
      const body = json ? JSON.stringify(snapshot) : renderLocalEventsHtml(snapshot);
      response.writeHead(200, {
        'content-type': json ? 'application/json' : 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      });
      response.end(method === 'HEAD' ? undefined : body);
      return 200;
    }

    const match = matchRoute(method, rawPath);
    if (match.kind === 'not-found') {
      return answer(problemOf(new NotFoundError(`No route matches ${rawPath}.`), rawPath, requestId));
    }
    if (match.kind === 'method-not-allowed') {
      const allow = match.allow.join(', ');
      return answer(
        problemOf(
          new MethodNotAllowedError(`${method} is not allowed on ${rawPath}; use ${allow}.`),
          rawPath,
          requestId,
          { allow },
        ),
      );
    }

    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof PayloadTooLarge) {
        return answer(
          problemOf(
            new PayloadTooLargeError(`The request body exceeds the ${MAX_PAYLOAD_BYTES} byte (10 MB) limit.`),
            rawPath,
            requestId,
            { connection: 'close' },
          ),
        );
      }
      throw error;
    }

    let jwt: RenderInput['jwt'];
    const scope = match.route.scope;
    if (scope !== null) {
      const authorizationHeaders = request.headersDistinct.authorization;
      const token = bearerToken(authorizationHeaders?.join(','));
      const challenge = (error?: string) => ({
        'www-authenticate': error ? `Bearer realm="relay", error="${error}"` : 'Bearer realm="relay"',
      });
      if (!token) {
        return answer(
          problemOf(
            new UnauthorizedError('A bearer token is required: send "Authorization: Bearer <token>".'),
            rawPath,
            requestId,
            challenge(),
          ),
        );
      }
      try {
        jwt = await verifyToken(token, keys);
      } catch (error) {
        const detail =
          error instanceof TokenVerificationError ? error.message : 'The token could not be verified.';
        return answer(
          problemOf(new UnauthorizedError(detail), rawPath, requestId, challenge('invalid_token')),
        );
      }
      const needed = fullScope(scope);
      if (!(jwt.scopes ?? []).includes(needed)) {
        return answer(
          problemOf(new ForbiddenError(`This route needs the scope ${needed}.`), rawPath, requestId, {
            'www-authenticate': `Bearer realm="relay", error="insufficient_scope", scope="${needed}"`,
          }),
        );
      }
    }

    const area = match.route.area;
    // The area's function as CDK deploys it (environment, timeout, memory), when the local cloud
    // runs the app's functions (`useLocalFunctions`); else the integration timeout alone.
    const fn = localFunctionFor(areaEntry(area));
    const functionName = fn?.name ?? `relay-local-${area}`;
    const event = renderEvent({
      request,
      match,
      rawPath,
      rawQueryString,
      body,
      requestId,
      now,
      serverPort: port,
      jwt,
    });
    try {
      const invocation: Promise<unknown> = fn
        ? invokeAsFunction(fn, () => handlerFor(area), event)
        : handlerFor(area).then((handler) => handler(event, lambdaContext(functionName, timeoutMs)));
      const result = await withTimeout(invocation, timeoutMs);
      if (result === TIMED_OUT) {
        // API Gateway gave up on the integration: HTTP APIs answer 503 {"message":"Service Unavailable"}.
        invocation.catch(() => undefined);
        logger.error(
          `[relay-local] ${match.routeKey} integration timed out after ${timeoutMs} ms (correlationId=${requestId}, function ${functionName})`,
        );
        sendProblem(response, {
          status: 503,
          slug: 'service-unavailable',
          title: 'Service unavailable',
          detail: `The ${functionName} function did not answer within the ${timeoutMs} ms integration timeout.`,
          instance: rawPath,
          correlationId: requestId,
        });
        return 503;
      }
      return sendResult(response, result, requestId, options.cors !== undefined);
    } catch (error) {
      // A function error — thrown, or Lambda's "Task timed out after N.NN seconds" — is a 500 on
      // an HTTP API ({"message":"Internal Server Error"}), like any unhandled error.
      logger.error(
        `[relay-local] ${match.routeKey} failed in ${functionName} (correlationId=${requestId}): ${
          error instanceof LambdaTimeoutError ? error.message : describeError(error)
        }`,
      );
      if (response.headersSent) {
        response.destroy();
        return 500;
      }
      sendProblem(response, {
        status: 500,
        slug: 'internal-error',
        title: 'Internal server error',
        detail: `Something went wrong on our side. Quote correlation id ${requestId} when reporting it.`,
        instance: rawPath,
        correlationId: requestId,
      });
      return 500;
    }
  };

  const server = createServer((request, response) => {
    const startedAt = performance.now();
    handle(request, response)
      .catch((error: unknown) => {
        const correlationId = gatewayRequestId();
        logger.error(
          `[relay-local] request failed (correlationId=${correlationId}): ${describeError(error)}`,
        );
        if (!response.headersSent) {
          sendProblem(response, {
            status: 500,
            slug: 'internal-error',
            title: 'Internal server error',
            detail: `Something went wrong on our side. Quote correlation id ${correlationId} when reporting it.`,
            instance: (request.url ?? '/').split('?')[0] ?? '/',
            correlationId,
          });
        } else {
          response.destroy();
        }
        return 500;
      })
      .then((status) => {
        if (options.logRequests) {
          const path = (request.url ?? '/').split('?')[0];
          logger.info(
            `${request.method} ${path} → ${status} (${Math.round(performance.now() - startedAt)} ms)`,
          );
        }
      });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });

  await new Promise<void>((done, fail) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        const taken = new Error(`port ${options.port} on ${host} is already in use`) as NodeJS.ErrnoException;
        taken.code = 'EADDRINUSE';
        fail(taken);
      } else {
        fail(error);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      done();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, host);
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    server,
    close: () => {
      closing ??= new Promise<void>((done) => {
        const force = setTimeout(() => server.closeAllConnections(), 2_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          done();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
};
