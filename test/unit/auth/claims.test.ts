/**
 * Claims → caller, on the API Gateway HTTP API wire format: every claim is a string, array claims
 * such as `cognito:groups` arrive as `"[admin sales]"`, and the `scope` claim is split into
 * `jwt.scopes` (`null` when the token has none).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callerFromAuthorizer, type JwtAuthorizerContext, parseListClaim } from '#shared/auth/claims';
import { fullScope, type Role, roleScopes, roles, type Scope, scopes } from '#shared/auth/roles';
import { UnauthorizedError } from '#shared/errors';
import { thrownBy } from '#test/unit/support/errors';
import fixture from '../../fixtures/apigw/http-api-jwt-event.json' with { type: 'json' };

/** A fresh copy of the hand-written fixture's authorizer context (`requestContext.authorizer.jwt`). */
const fixtureJwt = (): JwtAuthorizerContext & { claims: Record<string, string> } =>
  structuredClone(fixture.requestContext.authorizer.jwt);

/** The fixture's context with its groups claim and token scopes replaced. */
const jwtWith = (groups: string | undefined, tokenScopes: string[] | null) => {
  const jwt = fixtureJwt();
  if (groups === undefined) delete jwt.claims['cognito:groups'];
  else jwt.claims['cognito:groups'] = groups;
  if (tokenScopes === null) delete jwt.claims.scope;
  else jwt.claims.scope = tokenScopes.join(' ');
  jwt.scopes = tokenScopes;
  return jwt;
};

const sorted = (set: Iterable<string>): string[] => [...set].sort();

describe('Function: callerFromAuthorizer', () => {
  it('reads the caller from an HTTP API authorizer context in the wire format (the AWS-documented shape: authorizer-event.test.ts)', () => {
    // Prepare
    const jwt = fixtureJwt();

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.sub).toBe('5f1c2e1a-7a3b-4c8e-9d0f-1234567890ab');
    expect(caller.roles).toEqual(['admin', 'sales']);
    expect(caller.isAdmin).toBe(true);
    expect(sorted(caller.scopes)).toEqual(sorted(scopes));
  });

  it('parses the bracketed, space-separated groups claim API Gateway renders', () => {
    // Prepare
    const jwt = jwtWith('[sales support]', null);

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.roles).toEqual(['sales', 'support']);
    expect(caller.isAdmin).toBe(false);
  });

  it('parses a groups claim given as a JSON array string', () => {
    // Prepare
    const jwt = jwtWith('["marketing","analyst"]', null);

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.roles).toEqual(['marketing', 'analyst']);
  });

  it('parses a groups claim given as a real array', () => {
    // Prepare
    const jwt: JwtAuthorizerContext = {
      claims: { sub: 'user-1', 'cognito:groups': ['support'] },
      scopes: null,
    };

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.roles).toEqual(['support']);
  });

  it('parses a single-group claim', () => {
    // Prepare
    const jwt = jwtWith('[analyst]', null);

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.roles).toEqual(['analyst']);
    expect(sorted(caller.scopes)).toEqual(sorted(roleScopes.analyst));
  });

  it('ignores groups that are not Relay roles', () => {
    // Prepare
    const jwt = jwtWith('[contractors sales eu-west-1_Ab12Cd34E_Google]', null);

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.roles).toEqual(['sales']);
  });

  it('grants no role scopes to a caller without groups', () => {
    // Prepare
    const jwt = jwtWith(undefined, null);

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.roles).toEqual([]);
    expect(caller.scopes.size).toBe(0);
  });

  it('adds the token scopes to the scopes of the caller’s roles', () => {
    // Prepare
    const jwt = jwtWith('[analyst]', ['relay/customers.write', 'relay/timeline.write']);

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(sorted(caller.scopes)).toEqual(
      sorted([...roleScopes.analyst, 'customers.write', 'timeline.write']),
    );
  });

  it('reads the scope claim when jwt.scopes is null', () => {
    // Prepare
    const jwt = jwtWith(undefined, null);
    jwt.claims.scope = 'relay/companies.read relay/settings.read';

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(sorted(caller.scopes)).toEqual(['companies.read', 'settings.read']);
  });

  it('ignores scopes of other resource servers and OpenID scopes', () => {
    // Prepare
    const jwt = jwtWith(undefined, ['openid', 'email', 'billing/customers.write', 'relay/customers.read']);

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(sorted(caller.scopes)).toEqual(['customers.read']);
  });

  it('ignores relay scopes that do not exist', () => {
    // Prepare
    const jwt = jwtWith(undefined, ['relay/customers.admin', 'relay/*']);

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.scopes.size).toBe(0);
  });

  it('computes the union of role scopes and token scopes for any roles and scopes', () => {
    fc.assert(
      fc.property(
        fc.subarray([...roles]),
        fc.subarray([...scopes]),
        fc.boolean(),
        (userRoles: Role[], tokenScopes: Scope[], inScopesArray) => {
          // Prepare
          const rendered = tokenScopes.map(fullScope);
          const jwt = jwtWith(`[${userRoles.join(' ')}]`, inScopesArray ? rendered : null);
          if (!inScopesArray && rendered.length > 0) jwt.claims.scope = rendered.join(' ');

          // Act
          const caller = callerFromAuthorizer(jwt);

          // Assess
          const expected = new Set<string>([
            ...userRoles.flatMap((role) => roleScopes[role]),
            ...tokenScopes,
          ]);
          expect(caller.roles).toEqual(userRoles);
          expect(sorted(caller.scopes)).toEqual(sorted(expected));
          expect(caller.isAdmin).toBe(userRoles.includes('admin'));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects a context without a sub claim as unauthorized', () => {
    // Prepare
    const jwt = fixtureJwt();
    delete jwt.claims.sub;

    // Act
    const error = thrownBy(() => callerFromAuthorizer(jwt));

    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).status).toBe(401);
  });

  it('rejects an empty sub claim as unauthorized', () => {
    // Prepare
    const jwt = fixtureJwt();
    jwt.claims.sub = '';

    // Act
    const error = thrownBy(() => callerFromAuthorizer(jwt));

    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
  });

  it('rejects a request without authorizer context as unauthorized', () => {
    // Act
    const error = thrownBy(() => callerFromAuthorizer(undefined));

    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
  });

  it('rejects a context without claims as unauthorized', () => {
    // Act
    const error = thrownBy(() => callerFromAuthorizer({ scopes: ['relay/customers.read'] }));

    // Assess
    expect(error).toBeInstanceOf(UnauthorizedError);
  });
});

describe('Function: parseListClaim', () => {
  it.each([
    ['an API Gateway list', '[admin sales]', ['admin', 'sales']],
    ['an API Gateway list with one item', '[admin]', ['admin']],
    ['an empty API Gateway list', '[]', []],
    ['a JSON array', '["admin","sales"]', ['admin', 'sales']],
    ['a JSON array with spaces', '[ "admin", "sales" ]', ['admin', 'sales']],
    ['a space-separated string', 'admin sales', ['admin', 'sales']],
    ['a comma-separated string', 'admin,sales', ['admin', 'sales']],
    ['a single value', 'admin', ['admin']],
    ['an empty string', '', []],
  ])('parses %s', (_name, value, expected) => {
    // Act
    const parsed = parseListClaim(value);

    // Assess
    expect(parsed).toEqual(expected);
  });

  it('returns an empty list for a missing claim', () => {
    // Act
    const parsed = parseListClaim(undefined);

    // Assess
    expect(parsed).toEqual([]);
  });

  it('returns the items of a real array as strings', () => {
    // Act
    const parsed = parseListClaim(['admin', 'sales']);

    // Assess
    expect(parsed).toEqual(['admin', 'sales']);
  });

  it('reads back any list of group names rendered the API Gateway way', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/), { maxLength: 8 }), (groups) => {
        // Act
        const parsed = parseListClaim(`[${groups.join(' ')}]`);

        // Assess
        expect(parsed).toEqual(groups);
      }),
      { numRuns: 200 },
    );
  });
});
