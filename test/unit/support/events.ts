/**
 * Factories for API Gateway HTTP API (payload 2.0) events and Lambda contexts, built from the
 * hand-written event in `test/fixtures/apigw/http-api-jwt-event.json` (cloned per call). Claims are
 * rendered the way the JWT authorizer renders them: every value a string, `cognito:groups` as
 * `"[role]"`, the `scope` claim also split into `jwt.scopes`.
 */
import type { Context } from 'aws-lambda';
import { fullScope, type Role, roleScopes } from '#shared/auth/roles';
import type { HttpEvent } from '#shared/http/handler';
import fixture from '../../fixtures/apigw/http-api-jwt-event.json' with { type: 'json' };

export interface HttpEventOptions {
  /** `METHOD /path/{param}` exactly as in the route manifest. */
  routeKey: string;
  /** The concrete request path (`rawPath`). */
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** A string is sent as is; anything else is sent as JSON. */
  body?: unknown;
  /** Lower-case header names, as API Gateway delivers them; `undefined` removes a default header. */
  headers?: Record<string, string | undefined>;
  /** The caller's Cognito group; leave out for a request without authorizer context. */
  role?: Role;
  sub?: string;
  /** Send the body base64-encoded (binary media type). */
  base64?: boolean;
}

/** The subject dev tokens of a role carry (`infra/local/tokens.ts` uses the same idea). */
export const subFor = (role: Role): string => `00000000-0000-4000-a000-${role.padEnd(12, '0').slice(0, 12)}`;

export const httpEvent = (options: HttpEventOptions): HttpEvent => {
  const event = structuredClone(fixture) as unknown as HttpEvent;
  const [method = 'GET'] = options.routeKey.split(' ');
  const rawBody =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const body = rawBody !== undefined && options.base64 ? Buffer.from(rawBody).toString('base64') : rawBody;

  const headers: Record<string, string | undefined> = {
    ...event.headers,
    ...(rawBody !== undefined
      ? {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(rawBody)),
        }
      : {}),
    ...options.headers,
  };
  if (options.role === undefined) delete headers.authorization;
  event.headers = Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

  event.routeKey = options.routeKey;
  event.rawPath = options.path;
  event.rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  if (options.query) event.queryStringParameters = { ...options.query };
  else delete event.queryStringParameters;
  if (options.pathParameters) event.pathParameters = { ...options.pathParameters };
  else delete event.pathParameters;
  if (body !== undefined) event.body = body;
  else delete event.body;
  event.isBase64Encoded = body !== undefined && options.base64 === true;

  event.requestContext.routeKey = options.routeKey;
  event.requestContext.http.method = method;
  event.requestContext.http.path = options.path;

  if (options.role === undefined) {
    delete (event.requestContext as { authorizer?: unknown }).authorizer;
  } else {
    const scopes = roleScopes[options.role].map(fullScope);
    const claims = event.requestContext.authorizer.jwt.claims as Record<string, string>;
    claims.sub = options.sub ?? subFor(options.role);
    claims['cognito:groups'] = `[${options.role}]`;
    claims.scope = scopes.join(' ');
    claims.username = `${options.role}-user`;
    event.requestContext.authorizer.jwt.scopes = scopes;
  }
  return event;
};

/** A Lambda context as middy and Powertools expect it, with a deadline. */
export const lambdaContext = (timeoutMs = 10_000): Context => {
  const deadline = Date.now() + timeoutMs;
  const unsupported = (): never => {
    throw new Error('callbacks are not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'relay-test-customers',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:relay-test-customers',
    memoryLimitInMB: '1024',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/relay-test-customers',
    logStreamName: '2026/11/23/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};
