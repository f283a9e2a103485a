import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DevKeys, generateDevSecrets, LOCAL_CLIENT_ID, LOCAL_ISSUER } from '#infra/local/dev-secrets';
import {
  defaultSubFor,
  mintToken,
  renderClaims,
  renderScopes,
  TokenVerificationError,
  verifyToken,
} from '#infra/local/tokens';
import { callerFromAuthorizer } from '#shared/auth/claims';
import { fullScope, roleScopes } from '#shared/auth/roles';

/** A Cognito access-token payload as the user pool issues it (numbers and arrays unrendered). */
const cognitoAccessPayload = () => ({
  sub: '5f1c2e1a-7a3b-4c8e-9d0f-1234567890ab',
  'cognito:groups': ['admin', 'sales'],
  iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
  version: 2,
  client_id: '3n4b5urk1ft4fl3mg5e62d9ado',
  origin_jti: 'e0f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b',
  token_use: 'access',
  scope: 'relay/customers.read relay/customers.write',
  auth_time: 1767225000,
  exp: 1767228600,
  iat: 1767225000,
  jti: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  username: 'ada',
});

describe('Function: renderClaims', () => {
  it('keeps string claims unchanged', () => {
    // Prepare
    const payload = cognitoAccessPayload();

    // Act
    const claims = renderClaims(payload);

    // Assess
    expect(claims.sub).toBe('5f1c2e1a-7a3b-4c8e-9d0f-1234567890ab');
    expect(claims.token_use).toBe('access');
    expect(claims.scope).toBe('relay/customers.read relay/customers.write');
  });

  it('renders numeric claims as their decimal strings', () => {
    // Prepare
    const payload = cognitoAccessPayload();

    // Act
    const claims = renderClaims(payload);

    // Assess
    expect(claims.exp).toBe('1767228600');
    expect(claims.iat).toBe('1767225000');
    expect(claims.auth_time).toBe('1767225000');
    expect(claims.version).toBe('2');
  });

  it('renders array claims as one bracketed, space-separated string', () => {
    // Prepare
    const payload = { ...cognitoAccessPayload(), 'cognito:groups': ['admin', 'sales'] };

    // Act
    const claims = renderClaims(payload);

    // Assess
    expect(claims['cognito:groups']).toBe('[admin sales]');
  });

  it('renders a one-element array with brackets and an empty array as []', () => {
    // Prepare
    const payload = { sub: 'u', 'cognito:groups': ['support'], amr: [] as string[] };

    // Act
    const claims = renderClaims(payload);

    // Assess
    expect(claims['cognito:groups']).toBe('[support]');
    expect(claims.amr).toBe('[]');
  });

  it('renders boolean claims as "true" / "false"', () => {
    // Prepare
    const payload = { sub: 'u', email_verified: true, phone_number_verified: false };

    // Act
    const claims = renderClaims(payload);

    // Assess
    expect(claims.email_verified).toBe('true');
    expect(claims.phone_number_verified).toBe('false');
  });

  it('produces only string values', () => {
    // Prepare
    const payload = cognitoAccessPayload();

    // Act
    const claims = renderClaims(payload);

    // Assess
    expect(Object.keys(claims).sort()).toEqual(Object.keys(payload).sort());
    for (const value of Object.values(claims)) expect(typeof value).toBe('string');
  });
});

describe('Function: renderScopes', () => {
  it('splits the scope claim on spaces', () => {
    // Prepare
    const payload = { scope: 'relay/customers.read  relay/timeline.read' };

    // Act
    const scopes = renderScopes(payload);

    // Assess
    expect(scopes).toEqual(['relay/customers.read', 'relay/timeline.read']);
  });

  it('is null when the token has no scope claim', () => {
    // Prepare
    const payload = { sub: 'u' };

    // Act
    const scopes = renderScopes(payload);

    // Assess
    expect(scopes).toBeNull();
  });
});

describe('Function: mintToken / verifyToken', () => {
  let keys: DevKeys;

  beforeAll(async () => {
    ({ keys } = await generateDevSecrets());
  });

  it('mints a Cognito-like access token rendered in the authorizer wire format', async () => {
    // Prepare
    const token = await mintToken({ role: 'sales', sub: 'user-42', ttlSeconds: 600 }, keys);

    // Act
    const { claims, scopes } = await verifyToken(token, keys);

    // Assess
    expect(claims).toMatchObject({
      sub: 'user-42',
      'cognito:groups': '[sales]',
      token_use: 'access',
      client_id: LOCAL_CLIENT_ID,
      iss: LOCAL_ISSUER,
      scope: roleScopes.sales.map(fullScope).join(' '),
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(600);
    expect(claims.exp).toMatch(/^\d+$/);
    expect(scopes).toEqual(roleScopes.sales.map(fullScope));
  });

  it('gives each role a stable default subject', async () => {
    // Prepare
    const first = await mintToken({ role: 'analyst' }, keys);
    const second = await mintToken({ role: 'analyst' }, keys);

    // Act
    const [a, b] = await Promise.all([verifyToken(first, keys), verifyToken(second, keys)]);

    // Assess
    expect(a.claims.sub).toBe(defaultSubFor('analyst'));
    expect(b.claims.sub).toBe(a.claims.sub);
    expect(defaultSubFor('admin')).not.toBe(defaultSubFor('analyst'));
  });

  it('renders claims that the functions’ claims parser turns into the right caller', async () => {
    // Prepare
    const token = await mintToken({ role: 'support', sub: 'agent-7' }, keys);
    const jwt = await verifyToken(token, keys);

    // Act
    const caller = callerFromAuthorizer(jwt);

    // Assess
    expect(caller.sub).toBe('agent-7');
    expect(caller.roles).toEqual(['support']);
    expect([...caller.scopes].sort()).toEqual([...roleScopes.support].sort());
    expect(caller.isAdmin).toBe(false);
  });

  it('rejects an expired token as expired', async () => {
    // Prepare
    const issuedAt = Math.floor(Date.now() / 1000) - 7200;
    const token = await mintToken({ role: 'admin', issuedAt, ttlSeconds: 60 }, keys);

    // Act
    const result = verifyToken(token, keys);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'TokenVerificationError', reason: 'expired' });
  });

  it('rejects a token signed with another key', async () => {
    // Prepare
    const { keys: otherKeys } = await generateDevSecrets();
    const token = await mintToken({ role: 'admin' }, otherKeys);

    // Act
    const result = verifyToken(token, keys);

    // Assess
    await expect(result).rejects.toBeInstanceOf(TokenVerificationError);
    await expect(result).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('rejects a token from another issuer', async () => {
    // Prepare
    const token = await mintToken({ role: 'admin' }, { ...keys, issuer: 'https://issuer.example' });

    // Act
    const result = verifyToken(token, keys);

    // Assess
    await expect(result).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('rejects a token issued to another client', async () => {
    // Prepare
    const token = await mintToken({ role: 'admin' }, { ...keys, clientId: 'someone-else' });

    // Act
    const result = verifyToken(token, keys);

    // Assess
    await expect(result).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('rejects an unsigned (alg none) token', async () => {
    // Prepare
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ sub: 'x', iss: LOCAL_ISSUER, client_id: LOCAL_CLIENT_ID, exp: 4102444800, iat: 1 }),
    ).toString('base64url');

    // Act
    const result = verifyToken(`${header}.${body}.`, keys);

    // Assess
    await expect(result).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('renders scopes as null for a valid token without a scope claim', async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ client_id: LOCAL_CLIENT_ID })
      .setProtectedHeader({ alg: keys.alg, kid: keys.kid })
      .setSubject('machine')
      .setIssuer(keys.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(keys.privateKey);

    // Act
    const { scopes } = await verifyToken(token, keys);

    // Assess
    expect(scopes).toBeNull();
  });
});
