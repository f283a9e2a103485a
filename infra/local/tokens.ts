/**
 * Dev JWTs shaped like Cognito user-pool ACCESS tokens, and the verification the API Gateway HTTP
 * API JWT authorizer performs on them — including how it renders the verified claims into the
 * payload 2.0 event (`requestContext.authorizer.jwt`):
 * - every claim value becomes a string (`exp: 1767225600` → `"1767225600"`, `true` → `"true"`);
 * - array claims become one bracketed, space-separated string (`["admin","sales"]` → `"[admin sales]"`);
 * - the `scope` claim stays in `claims` and is also split on spaces into `scopes`;
 *   `scopes` is `null` when the token has no `scope` claim.
 */
import { createHash, randomUUID } from 'node:crypto';
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { DevKeys } from '#infra/local/dev-secrets';
import { fullScope, type Role, roleScopes } from '#shared/auth/roles';

export interface MintTokenOptions {
  role: Role;
  /** Subject; defaults to a stable UUID per role, so a role's objects stay "theirs" across tokens. */
  sub?: string;
  /** Lifetime in seconds (default 3600, Cognito's default access-token validity). */
  ttlSeconds?: number;
  /** Issue time in epoch seconds (default now); lets tests mint already-expired tokens. */
  issuedAt?: number;
}

/** What the JWT authorizer hands the function in `requestContext.authorizer.jwt`. */
export interface RenderedJwt {
  claims: Record<string, string>;
  scopes: string[] | null;
}

/** A stable, UUID-formatted subject for a role's default dev user. */
export const defaultSubFor = (role: Role): string => {
  const hex = createHash('sha256').update(`relay-local-user:${role}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** The `scope` claim of a role's token: `relay/<scope>` for each of its scopes, space-separated. */
export const scopeClaimFor = (role: Role): string => roleScopes[role].map(fullScope).join(' ');

/** Signs a Cognito-like access token for `role` with the dev key. */
export const mintToken = async (options: MintTokenOptions, keys: DevKeys): Promise<string> => {
  const sub = options.sub ?? defaultSubFor(options.role);
  const ttl = options.ttlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl <= 0)
    throw new Error(`ttlSeconds must be a positive integer, got ${ttl}`);
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
  return new SignJWT({
    'cognito:groups': [options.role],
    token_use: 'access',
    scope: scopeClaimFor(options.role),
    auth_time: iat,
    client_id: keys.clientId,
    username: `${options.role}-${sub.slice(0, 8)}`,
    version: 2,
  })
    .setProtectedHeader({ alg: keys.alg, kid: keys.kid })
    .setSubject(sub)
    .setIssuer(keys.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(randomUUID())
    .sign(keys.privateKey);
};

/**
 * Renders one claim value the way API Gateway does. Scalars use their JSON text; arrays become
 * `[a b c]` (no quotes, space-separated). Nested objects are not used by Relay's tokens; they are
 * rendered in the same Go-like notation (`map[key:value]`, keys sorted) as a best effort.
 */
const renderValue = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) return `[${value.map(renderValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `map[${entries.map(([key, inner]) => `${key}:${renderValue(inner)}`).join(' ')}]`;
  }
  return String(value);
};

/** Verified JWT payload → `requestContext.authorizer.jwt.claims` (every value a string). */
export const renderClaims = (payload: JWTPayload): Record<string, string> => {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    claims[name] = renderValue(value);
  }
  return claims;
};

/** The token's `scope` claim → `requestContext.authorizer.jwt.scopes` (`null` without one). */
export const renderScopes = (payload: JWTPayload): string[] | null => {
  const scope = payload.scope;
  if (typeof scope !== 'string') return null;
  return scope.split(' ').filter(Boolean);
};

export type TokenFailure = 'expired' | 'invalid';

export class TokenVerificationError extends Error {
  constructor(
    readonly reason: TokenFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TokenVerificationError';
  }
}

/** How many verified tokens each key set remembers (the oldest is forgotten first). */
export const VERIFIED_TOKEN_CACHE_SIZE = 1_000;

interface VerifiedToken {
  rendered: RenderedJwt;
  /** `exp` in epoch seconds: the token is expired once the clock reaches it (as `jwtVerify` decides). */
  exp: number;
}

/** Verified tokens by their exact text, per key set (a key set's tokens never answer for another's). */
const verified = new WeakMap<DevKeys, Map<string, VerifiedToken>>();

const expiredError = (): TokenVerificationError =>
  new TokenVerificationError('expired', 'The token has expired.');

/** A copy, so a handler that changes its event cannot change what the next request sees. */
const copyOf = ({ claims, scopes }: RenderedJwt): RenderedJwt => ({
  claims: { ...claims },
  scopes: scopes === null ? null : [...scopes],
});

const remember = (keys: DevKeys, token: string, entry: VerifiedToken): void => {
  let cache = verified.get(keys);
  if (!cache) {
    cache = new Map();
    verified.set(keys, cache);
  }
  if (cache.size >= VERIFIED_TOKEN_CACHE_SIZE) {
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const [cached, { exp }] of cache) if (exp <= nowSeconds) cache.delete(cached);
    const oldest = cache.keys().next();
    if (cache.size >= VERIFIED_TOKEN_CACHE_SIZE && !oldest.done) cache.delete(oldest.value);
  }
  cache.set(token, entry);
};

/** Full verification with jose: signature, `alg`, `iss`, `exp`/`nbf`, `client_id`. */
const verifyFully = async (token: string, keys: DevKeys): Promise<VerifiedToken> => {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys.publicKey, {
      issuer: keys.issuer,
      algorithms: [keys.alg],
      requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw expiredError();
    throw new TokenVerificationError('invalid', 'The token is not valid.');
  }
  const audience = payload.aud ?? payload.client_id;
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (!audiences.includes(keys.clientId)) {
    throw new TokenVerificationError('invalid', 'The token was issued for another client.');
  }
  // `requiredClaims` and jose's claim checks guarantee a numeric `exp` here.
  return {
    rendered: { claims: renderClaims(payload), scopes: renderScopes(payload) },
    exp: payload.exp as number,
  };
};

/**
 * Verifies a token like the HTTP API JWT authorizer: signature with the dev public key, `alg`,
 * `iss`, `exp`/`nbf`, and — since access tokens carry no `aud` — `client_id` against the
 * configured audience. Returns the claims exactly as the authorizer renders them.
 *
 * A token that passed is remembered (by its exact text, per key set, at most
 * `VERIFIED_TOKEN_CACHE_SIZE`) until its `exp`, so a client repeating its token is not verified
 * again: the signature check went to the thread pool and was the local gateway's largest cost per
 * request. Any other text — a changed payload or signature, another key's token — is verified in
 * full, and a remembered token fails as expired once its `exp` has passed. Failures are never
 * remembered.
 */
export const verifyToken = async (token: string, keys: DevKeys): Promise<RenderedJwt> => {
  const cached = verified.get(keys)?.get(token);
  if (cached) {
    if (cached.exp > Math.floor(Date.now() / 1000)) return copyOf(cached.rendered);
    verified.get(keys)?.delete(token);
    throw expiredError();
  }
  const entry = await verifyFully(token, keys);
  remember(keys, token, entry);
  return copyOf(entry.rendered);
};
