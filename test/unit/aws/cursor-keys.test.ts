/**
 * The cursor key ring from Secrets Manager (aws-sdk-client-mock): the exact read, the cache and its
 * TTL, a rotation picked up without a deploy (new cursors under the new key, old cursors still
 * open), and loud failure — a missing, unreadable or malformed secret fails the listing with a
 * logged 500 and never signs with a fallback key.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const previousLogLevels = vi.hoisted(() => {
  const previous = { powertools: process.env.POWERTOOLS_LOG_LEVEL, lambda: process.env.AWS_LAMBDA_LOG_LEVEL };
  // Set before the logger module loads: it reads the level once, at construction.
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  delete process.env.AWS_LAMBDA_LOG_LEVEL;
  return previous;
});

import { handler as customers } from '#functions/http/customers/index';
import {
  CURSOR_KEYS_TTL_MS,
  CursorKeysConfigError,
  parseCursorKeySecret,
  secretsManagerCursorKeys,
} from '#shared/aws/cursor-keys';
import { decodeCursor, encodeCursor } from '#shared/db/cursor';
import { resetDeps } from '#shared/deps';
import { ValidationError } from '#shared/errors';
import { rejectionOf, thrownBy } from '#test/unit/support/errors';
import { httpEvent, lambdaContext } from '#test/unit/support/events';
import { captureProcessOutput } from '#test/unit/support/output';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:relay-test/cursor-keys-AbCdEf';
const MATERIAL_1 = 'first-key-material-0123456789abcdefghijklmnopqrstuvwx';
const MATERIAL_2 = 'second-key-material-0123456789abcdefghijklmnopqrstuvw';
const SCOPE = 'customers';

const secretsManager = mockClient(SecretsManagerClient);
const documentClient = mockClient(DynamoDBDocumentClient);
const lowLevelClient = mockClient(DynamoDBClient);

const ring1 = JSON.stringify({ current: 'k1', k1: MATERIAL_1 });
const ring2 = JSON.stringify({ current: 'k2', k2: MATERIAL_2, k1: MATERIAL_1 });
const ring2Only = JSON.stringify({ current: 'k2', k2: MATERIAL_2 });

/** A provider on a clock the test moves. */
const providerAt = (clock: { now: number }) =>
  secretsManagerCursorKeys(new SecretsManagerClient({ region: 'eu-west-1' }), SECRET_ARN, {
    now: () => clock.now,
  });

const reads = () => secretsManager.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input);

beforeEach(() => {
  secretsManager.reset();
  documentClient.reset();
  lowLevelClient.reset();
});

afterAll(() => {
  secretsManager.restore();
  process.env.POWERTOOLS_LOG_LEVEL = previousLogLevels.powertools;
  if (previousLogLevels.lambda !== undefined) process.env.AWS_LAMBDA_LOG_LEVEL = previousLogLevels.lambda;
});

describe('Function: secretsManagerCursorKeys', () => {
  it('reads the current version of the secret once, on first use', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: ring1 });
    const keys = providerAt({ now: 0 });
    expect(reads()).toEqual([]);

    // Act
    const ring = await keys();

    // Assess
    expect(reads()).toEqual([{ SecretId: SECRET_ARN, VersionStage: 'AWSCURRENT' }]);
    expect(ring.currentKeyId).toBe('k1');
    expect([...ring.keys.keys()]).toEqual(['k1']);
  });

  it('serves the cached ring within the TTL, one read for concurrent callers', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: ring1 });
    const clock = { now: 1_000 };
    const keys = providerAt(clock);

    // Act
    const [a, b] = await Promise.all([keys(), keys()]);
    clock.now += CURSOR_KEYS_TTL_MS - 1;
    const c = await keys();

    // Assess
    expect(reads()).toHaveLength(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('picks up a rotation after the TTL: new cursors under the new key, old cursors still open', async () => {
    // Prepare: a cursor issued before the rotation
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: ring1 })
      .resolves({ SecretString: ring2 });
    const clock = { now: 0 };
    const keys = providerAt(clock);
    const before = encodeCursor(await keys(), SCOPE, { pk: 'CUSLIST#3' });

    // Act: the operator put a new version; the cache expires
    clock.now += CURSOR_KEYS_TTL_MS;
    const rotated = await keys();

    // Assess
    expect(reads()).toHaveLength(2);
    expect(rotated.currentKeyId).toBe('k2');
    expect(encodeCursor(rotated, SCOPE, { pk: 'CUSLIST#3' })).toMatch(/^v1\.k2\./);
    expect(decodeCursor(rotated, SCOPE, before)).toEqual({ pk: 'CUSLIST#3' });
  });

  it('stops opening cursors of a key the operator removed after the rotation window', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: ring1 })
      .resolvesOnce({ SecretString: ring2 })
      .resolves({ SecretString: ring2Only });
    const clock = { now: 0 };
    const keys = providerAt(clock);
    const old = encodeCursor(await keys(), SCOPE, { pk: 'CUSLIST#3' });
    clock.now += CURSOR_KEYS_TTL_MS;
    await keys();

    // Act
    clock.now += CURSOR_KEYS_TTL_MS;
    const final = await keys();

    // Assess
    const error = thrownBy(() => decodeCursor(final, SCOPE, old));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(400);
  });

  it('fails loudly when the secret is missing, and reads again on the next call (no cached failure)', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: {},
        }),
      )
      .resolves({ SecretString: ring1 });
    const keys = providerAt({ now: 0 });

    // Act
    const error = await rejectionOf(keys());
    const ring = await keys();

    // Assess
    expect(error).toBeInstanceOf(CursorKeysConfigError);
    expect((error as Error).message).toBe(
      `Cursor key secret ${SECRET_ARN} cannot be read (ResourceNotFoundException)`,
    );
    expect(ring.currentKeyId).toBe('k1');
    expect(reads()).toHaveLength(2);
  });

  it('never falls back to the previous ring when a re-read fails', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: ring1 })
      .resolves({ SecretString: '{"current":"k9"}' });
    const clock = { now: 0 };
    const keys = providerAt(clock);
    await keys();

    // Act
    clock.now += CURSOR_KEYS_TTL_MS;
    const error = await rejectionOf(keys());

    // Assess
    expect(error).toBeInstanceOf(CursorKeysConfigError);
    expect((error as Error).message).toContain('the current cursor key "k9" is not in the ring');
  });

  it('refuses a secret without a string value (a binary secret)', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: Buffer.from(ring1) });

    // Act
    const error = await rejectionOf(providerAt({ now: 0 })());

    // Assess
    expect(error).toBeInstanceOf(CursorKeysConfigError);
    expect((error as Error).message).toContain('has no string value');
  });
});

describe('Function: parseCursorKeySecret', () => {
  it.each([
    ['not JSON', `{"current":"k1","k1":"${MATERIAL_1}"`, 'the value is not JSON'],
    ['not an object', JSON.stringify([MATERIAL_1]), 'the value is not a JSON object'],
    ['no current', JSON.stringify({ k1: MATERIAL_1 }), '"current" must name a key id'],
    ['an empty string (no fallback)', '', 'the value is not JSON'],
    [
      'a current key that is absent',
      JSON.stringify({ current: 'k2', k1: MATERIAL_1 }),
      '"k2" is not in the ring',
    ],
    ['short material', JSON.stringify({ current: 'k1', k1: 'short' }), 'at least 43 characters'],
    ['an empty material', JSON.stringify({ current: 'k1', k1: '' }), 'at least 43 characters'],
    ['a non-string material', JSON.stringify({ current: 'k1', k1: 42 }), 'key "k1" must be a string'],
    ['a key id with a dot', JSON.stringify({ current: 'k.1', 'k.1': MATERIAL_1 }), 'base64url characters'],
  ])('refuses %s, naming the secret but never its value', (_case, text, problem) => {
    // Act
    const error = thrownBy(() => parseCursorKeySecret(SECRET_ARN, text));

    // Assess
    expect(error).toBeInstanceOf(CursorKeysConfigError);
    expect((error as Error).message).toContain(`Cursor key secret ${SECRET_ARN}: `);
    expect((error as Error).message).toContain(problem);
    expect((error as Error).message).not.toContain(MATERIAL_1.slice(0, 20));
  });
});

describe('Listing through the HTTP edge', () => {
  let written: string[] = [];

  beforeEach(() => {
    written = [];
    resetDeps();
    captureProcessOutput(written);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    resetDeps();
  });

  const listCustomers = () =>
    customers(httpEvent({ routeKey: 'GET /customers', path: '/customers', role: 'sales' }), lambdaContext());

  it('answers 500 with a logged configuration error when the secret cannot be read, before any query', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: {},
      }),
    );

    // Act
    const response = await listCustomers();

    // Assess
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ status: 500 });
    expect(documentClient.calls().length + lowLevelClient.calls().length).toBe(0);
    expect(reads()).toEqual([{ SecretId: process.env.CURSOR_KEYS_SECRET_ID, VersionStage: 'AWSCURRENT' }]);
    const failure = written
      .map((line) => JSON.parse(line))
      .find((entry) => entry.message === 'request failed');
    expect(failure?.error?.type).toBe('CursorKeysConfigError');
  });

  it('answers 500 for a malformed secret and keeps its value out of the log', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ current: 'k1', k1: 'tiny-material' }) });

    // Act
    const response = await listCustomers();

    // Assess
    expect(response.statusCode).toBe(500);
    expect(documentClient.calls()).toHaveLength(0);
    expect(written.join('')).toContain('CursorKeysConfigError');
    expect(written.join('')).not.toContain('tiny-material');
  });

  it('hands out a cursor sealed under the current key that names no table key', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: ring2 });
    documentClient.onAnyCommand().resolves({
      Items: [
        {
          pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
          sk: 'PROFILE',
          gsi2pk: 'CUSLIST#0',
          gsi2sk: '2026-12-01T10:00:00.000Z#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
          entity: 'customer',
          id: '01JD8X3Q9Z7N6M5K4H3G2F1E0D',
        },
      ],
      LastEvaluatedKey: {
        pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
        sk: 'PROFILE',
        gsi2pk: 'CUSLIST#0',
        gsi2sk: 'x',
      },
    });

    // Act
    const response = await customers(
      httpEvent({ routeKey: 'GET /customers', path: '/customers', role: 'sales', query: { limit: '1' } }),
      lambdaContext(),
    );

    // Assess
    const cursor = String(JSON.parse(response.body ?? '{}').nextCursor);
    expect(cursor).toMatch(/^v1\.k2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('CUS');
    expect(Buffer.from(cursor.split('.')[3] ?? '', 'base64url').toString('latin1')).not.toContain('CUS#');
  });
});
