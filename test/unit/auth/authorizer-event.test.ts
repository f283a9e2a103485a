/**
 * `shared/auth/claims.ts` on the event shape AWS documents (test/fixtures/apigw/README.md): the
 * payload format 2.0 envelope with a Cognito access token's claims as the HTTP API JWT authorizer
 * renders them. Expected roles and scopes are written out, not derived from the role table.
 */
import { describe, expect, it } from 'vitest';
import { callerFromAuthorizer, type JwtAuthorizerContext } from '#shared/auth/claims';
import fixture from '../../fixtures/apigw/aws-documented-jwt-event.json' with { type: 'json' };

const documentedJwt = (): JwtAuthorizerContext & { claims: Record<string, string> } =>
  structuredClone(fixture.requestContext.authorizer.jwt);

/** What the `sales` role may do (README role table); `support` adds nothing sales lacks. */
const salesScopes = [
  'audience.read',
  'companies.delete',
  'companies.read',
  'companies.write',
  'customers.delete',
  'customers.read',
  'customers.write',
  'settings.read',
  'timeline.read',
  'timeline.write',
];

describe('Authorizer event: the AWS-documented HTTP API JWT shape', () => {
  it('is the payload format 2.0 envelope with claims where the JWT authorizer puts them', () => {
    // Assess
    expect(fixture.version).toBe('2.0');
    expect(Object.keys(fixture.requestContext.authorizer)).toEqual(['jwt']);
    expect(fixture._source).toMatch(/docs\.aws\.amazon\.com/);
  });

  it('reads sub, the bracketed groups claim and only the relay scopes from the documented event', () => {
    // Act
    const caller = callerFromAuthorizer(documentedJwt());

    // Assess
    expect(caller.sub).toBe('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(caller.roles).toEqual(['sales', 'support']);
    expect(caller.isAdmin).toBe(false);
    expect([...caller.scopes].sort()).toEqual(salesScopes);
  });

  it.each([
    ['API Gateway brackets, space-separated', '[sales support]'],
    ['API Gateway brackets, comma-separated', '[sales, support]'],
    ['a JSON array string (the REST API authorizer form)', '["sales","support"]'],
  ])('reads the same roles from %s', (_form, groups) => {
    // Prepare
    const jwt = documentedJwt();
    jwt.claims['cognito:groups'] = groups;

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.roles).toEqual(['sales', 'support']);
  });

  it.each([
    ['another case', '[Admin]'],
    ['a longer group name', '[admins]'],
    ['one JSON group whose name contains a space', '["analyst admin"]'],
    ['brackets inside the list', '[sales] [admin]'],
  ])('grants no admin from a groups claim with %s', (_what, groups) => {
    // Prepare
    const jwt = documentedJwt();
    jwt.claims['cognito:groups'] = groups;

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.isAdmin).toBe(false);
    expect(caller.roles).not.toContain('admin');
  });

  it('reads the scope claim when the authorizer sends jwt.scopes as null', () => {
    // Prepare
    const jwt = documentedJwt();
    jwt.claims['cognito:groups'] = '[]';
    jwt.scopes = null;

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.roles).toEqual([]);
    expect([...caller.scopes]).toEqual(['customers.read']);
  });
});
