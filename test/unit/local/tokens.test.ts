import { SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DevKeys, generateDevSecrets, LOCAL_CLIENT_ID, LOCAL_ISSUER } from '#infra/local/dev-secrets';
import {
  defaultSubFor,
  mintToken,
  renderClaims,
  renderScopes,
  scopeClaimFor,
  TokenVerificationError,
  VERIFIED_TOKEN_CACHE_SIZE,
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

describe('Function: verifyToken (verified tokens remembered until exp)', () => {
  let keys: DevKeys;

  beforeAll(async () => {
    ({ keys } = await generateDevSecrets());
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** The token with one part replaced (0 header, 1 payload, 2 signature). */
  const withPart = (token: string, index: number, part: string): string => {
    const parts = token.split('.');
    parts[index] = part;
    return parts.join('.');
  };

  it('rejects a token it verified before as expired once its exp has passed', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await mintToken({ role: 'admin', ttlSeconds: 60 }, keys);
    await verifyToken(token, keys);
    vi.setSystemTime(Date.now() + 60_000);

    // Act
    const result = verifyToken(token, keys);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'TokenVerificationError', reason: 'expired' });
  });

  it('keeps accepting a token it verified before until its exp', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await mintToken({ role: 'sales', sub: 'user-9', ttlSeconds: 60 }, keys);
    await verifyToken(token, keys);
    vi.setSystemTime(Date.now() + 59_000);

    // Act
    const { claims } = await verifyToken(token, keys);

    // Assess
    expect(claims.sub).toBe('user-9');
  });

  it('answers each token with its own claims, not those of a token verified before', async () => {
    // Prepare
    const admin = await mintToken({ role: 'admin', sub: 'user-a' }, keys);
    const analyst = await mintToken({ role: 'analyst', sub: 'user-b' }, keys);
    await verifyToken(admin, keys);

    // Act
    const { claims, scopes } = await verifyToken(analyst, keys);

    // Assess
    expect(claims.sub).toBe('user-b');
    expect(claims['cognito:groups']).toBe('[analyst]');
    expect(scopes).toEqual(roleScopes.analyst.map(fullScope));
  });

  it('rejects a verified token whose payload was changed, even with the original signature', async () => {
    // Prepare
    const token = await mintToken({ role: 'analyst', sub: 'user-c' }, keys);
    const { claims } = await verifyToken(token, keys);
    const raised = Buffer.from(
      JSON.stringify({ ...claims, 'cognito:groups': ['admin'], scope: scopeClaimFor('admin') }),
    ).toString('base64url');

    // Act
    const result = verifyToken(withPart(token, 1, raised), keys);

    // Assess
    await expect(result).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('rejects a verified token whose signature was changed', async () => {
    // Prepare
    const token = await mintToken({ role: 'admin' }, keys);
    await verifyToken(token, keys);
    const signature = token.split('.')[2] ?? '';
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;

    // Act
    const result = verifyToken(withPart(token, 2, flipped), keys);

    // Assess
    await expect(result).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('does not accept a token verified under one key set when checked against another', async () => {
    // Prepare
    const { keys: otherKeys } = await generateDevSecrets();
    const token = await mintToken({ role: 'admin' }, keys);
    await verifyToken(token, keys);

    // Act
    const result = verifyToken(token, otherKeys);

    // Assess
    await expect(result).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('does not let a handler that changes its claims change what the next request sees', async () => {
    // Prepare
    const token = await mintToken({ role: 'analyst', sub: 'user-d' }, keys);
    const first = await verifyToken(token, keys);
    first.claims.sub = 'someone-else';
    first.scopes?.push(fullScope('customers.write'));

    // Act
    const second = await verifyToken(token, keys);

    // Assess
    expect(second.claims.sub).toBe('user-d');
    expect(second.scopes).toEqual(roleScopes.analyst.map(fullScope));
  });

  it('keeps verifying tokens correctly after more than the cache size', async () => {
    // Prepare
    const sub = (index: number) => `bulk-${index}`;
    const tokens = await Promise.all(
      Array.from({ length: VERIFIED_TOKEN_CACHE_SIZE + 5 }, (_, index) =>
        mintToken({ role: 'support', sub: sub(index) }, keys),
      ),
    );
    for (const token of tokens) await verifyToken(token, keys);

    // Act
    const [oldest, newest] = await Promise.all([
      verifyToken(tokens[0] ?? '', keys),
      verifyToken(tokens.at(-1) ?? '', keys),
    ]);

    // Assess
    expect(oldest.claims.sub).toBe(sub(0));
    expect(newest.claims.sub).toBe(sub(VERIFIED_TOKEN_CACHE_SIZE + 4));
  });
});
