/**
 * Claims → caller. The API Gateway HTTP API JWT authorizer (payload v2) puts the verified claims
 * in `requestContext.authorizer.jwt.claims` and renders array claims such as `cognito:groups` as
 * one bracketed, space-separated string (`"[admin sales]"`); the `scope` claim is split into
 * `jwt.scopes`. The local HTTP server renders claims exactly the same way, so this parser is the
 * one code path for both worlds.
 */

import { isRole, isScope, RESOURCE_SERVER, type Role, type Scope, scopesOfRoles } from '#shared/auth/roles';
import { UnauthorizedError } from '#shared/errors';

export interface Caller {
  sub: string;
  roles: Role[];
  /** Effective scopes: granted by the caller's roles plus any scopes in the token itself. */
  scopes: Set<Scope>;
  isAdmin: boolean;
}

type ClaimValue = string | number | boolean | string[] | undefined;

export interface JwtAuthorizerContext {
  claims?: Record<string, ClaimValue>;
  scopes?: string[] | null;
}

/** Parses a claim that may be a JSON array, an API Gateway bracketed list, or a plain string. */
export const parseListClaim = (value: ClaimValue): string[] => {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) return parsed.map(String);
      } catch {
        // fall through to the API Gateway form
      }
    }
    return inner.split(/[\s,]+/).filter(Boolean);
  }
  return text.split(/[\s,]+/).filter(Boolean);
};

const stripServer = (scope: string): string =>
  scope.startsWith(`${RESOURCE_SERVER}/`) ? scope.slice(RESOURCE_SERVER.length + 1) : scope;

export const callerFromAuthorizer = (jwt: JwtAuthorizerContext | undefined): Caller => {
  const claims = jwt?.claims;
  const sub = claims?.sub;
  if (!claims || typeof sub !== 'string' || sub.length === 0) {
    throw new UnauthorizedError('A valid bearer token is required.');
  }
  const roles = parseListClaim(claims['cognito:groups']).filter(isRole);
  const tokenScopes = (jwt?.scopes ?? parseListClaim(claims.scope)).map(stripServer).filter(isScope);
  const effective = scopesOfRoles(roles);
  for (const scope of tokenScopes) effective.add(scope);
  return { sub, roles, scopes: effective, isAdmin: roles.includes('admin') };
};
