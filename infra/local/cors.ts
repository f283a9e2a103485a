/**
 * CORS as API Gateway HTTP API applies its `CorsConfiguration`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html), for the local
 * gateway, from the same stage config CDK deploys (`StageConfig.api.cors`):
 *
 * - A preflight (`OPTIONS` with `origin` and `access-control-request-method`) is answered by the
 *   gateway itself, whether or not a route exists for the path, and never reaches a function:
 *   204, and for an allowed origin the allow-origin / allow-methods / allow-headers / max-age
 *   (and allow-credentials) headers. A disallowed origin gets the 204 without any CORS header, so
 *   the browser refuses the call.
 * - Any other request with an allowed `origin` gets `access-control-allow-origin` (the request's
 *   origin, or `*` when the configuration allows every origin without credentials),
 *   `access-control-expose-headers` and `vary: origin` on whatever answers it (the function or the
 *   gateway); CORS headers a function returns are dropped, as API Gateway ignores them once CORS
 *   is configured. Without an `origin`, or from a disallowed one, no CORS header is added.
 * - Origins are matched exactly (`scheme://host[:port]`, case-insensitively), `*` matches every
 *   origin, and `https://*` / `http://*` every origin of that scheme.
 */
import type { CorsConfig } from '#infra/config/stages';

/** The stage's CORS configuration as the local gateway applies it: the max age in plain seconds. */
export type LocalCors = Omit<CorsConfig, 'maxAge'> & { readonly maxAgeSeconds: number };

export const localCorsOf = ({ maxAge, ...cors }: CorsConfig): LocalCors => ({
  ...cors,
  maxAgeSeconds: maxAge.toSeconds(),
});

/** Whether `origin` is one the configuration allows. */
export const isAllowedOrigin = (cors: LocalCors, origin: string): boolean => {
  const wanted = origin.toLowerCase();
  return cors.allowOrigins.some((allowed) => {
    const candidate = allowed.toLowerCase();
    if (candidate === '*') return true;
    if (candidate === 'https://*' || candidate === 'http://*')
      return wanted.startsWith(candidate.slice(0, -1));
    return candidate === wanted;
  });
};

const allowOriginValue = (cors: LocalCors, origin: string): string =>
  cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin;

const firstValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

export interface CorsRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A preflight: `OPTIONS` carrying both `origin` and `access-control-request-method`. */
export const isPreflight = (request: CorsRequest): boolean =>
  request.method === 'OPTIONS' &&
  Boolean(firstValue(request.headers.origin)) &&
  Boolean(firstValue(request.headers['access-control-request-method']));

/** The gateway's answer to a preflight: always 204; CORS headers only for an allowed origin. */
export const preflightHeaders = (cors: LocalCors, request: CorsRequest): Record<string, string> => {
  const origin = firstValue(request.headers.origin) ?? '';
  if (!isAllowedOrigin(cors, origin)) return {};
  return {
    'access-control-allow-origin': allowOriginValue(cors, origin),
    'access-control-allow-methods': cors.allowMethods.join(','),
    'access-control-allow-headers': cors.allowHeaders.join(','),
    'access-control-max-age': String(cors.maxAgeSeconds),
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
    vary: 'origin',
  };
};

/** Headers the gateway adds to the response of a (non-preflight) request; none without an allowed origin. */
export const responseCorsHeaders = (cors: LocalCors, request: CorsRequest): Record<string, string> => {
  const origin = firstValue(request.headers.origin);
  if (!origin || !isAllowedOrigin(cors, origin)) return {};
  return {
    'access-control-allow-origin': allowOriginValue(cors, origin),
    ...(cors.exposeHeaders.length > 0
      ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') }
      : {}),
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
    vary: 'origin',
  };
};

/** Drops the CORS headers a function returned (API Gateway ignores them when CORS is configured). */
export const withoutCorsHeaders = <T>(headers: Record<string, T>): Record<string, T> =>
  Object.fromEntries(
    Object.entries(headers).filter(([name]) => !name.toLowerCase().startsWith('access-control-')),
  );
