/**
 * The cursor key ring over the local Secrets Manager stand-in, through the real SDK client: the
 * stand-in's version stages, a rotation by `PutSecretValue` that keeps outstanding cursors
 * working, the end of the rotation window, and a listing that fails loudly without its secret.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#infra/local/dynamodb';
import {
  type LocalSecretsManager,
  newCursorKeySecret,
  startLocalSecretsManager,
} from '#infra/local/secrets-manager';
import { secretsManagerCursorKeys } from '#shared/aws/cursor-keys';
import { decodeCursor, encodeCursor } from '#shared/db/cursor';
import { resetDeps } from '#shared/deps';
import { apiClient } from './support/api-client.ts';
import { startTestApi, type TestApi, testCursorKeys, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

const clientFor = (endpoint: string) =>
  new SecretsManagerClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
const material = () => randomBytes(32).toString('base64url');

describe('Local Secrets Manager stand-in', () => {
  let local: LocalSecretsManager;
  const NAME = 'relay-test/stand-in';

  beforeAll(async () => {
    local = await startLocalSecretsManager({ seed: { [NAME]: () => newCursorKeySecret('k1') } });
  });
  afterAll(async () => {
    await local?.close();
  });

  it('moves AWSPREVIOUS to the old current version on PutSecretValue, by name or ARN', async () => {
    // Prepare
    const client = clientFor(local.endpoint);
    const first = await client.send(new GetSecretValueCommand({ SecretId: NAME }));
    const next = JSON.stringify({ current: 'k2', k2: material() });

    // Act
    const put = await client.send(
      new PutSecretValueCommand({ SecretId: local.secretArn(NAME), SecretString: next }),
    );
    const current = await client.send(
      new GetSecretValueCommand({ SecretId: NAME, VersionStage: 'AWSCURRENT' }),
    );
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: local.secretArn(NAME), VersionStage: 'AWSPREVIOUS' }),
    );

    // Assess
    expect(JSON.parse(first.SecretString ?? '{}').current).toBe('k1');
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect(current.SecretString).toBe(next);
    expect(current.VersionId).toBe(put.VersionId);
    expect(previous.SecretString).toBe(first.SecretString);
    expect(previous.VersionStages).toEqual(['AWSPREVIOUS']);
  });

  it('answers ResourceNotFoundException for an unknown secret or stage', async () => {
    // Prepare
    const client = clientFor(local.endpoint);

    // Act
    const unknown = await client
      .send(new GetSecretValueCommand({ SecretId: 'relay-test/nope' }))
      .catch((e) => e);
    const stage = await client
      .send(new GetSecretValueCommand({ SecretId: NAME, VersionStage: 'AWSPENDING' }))
      .catch((e) => e);

    // Assess
    expect(unknown.name).toBe('ResourceNotFoundException');
    expect(stage.name).toBe('ResourceNotFoundException');
  });

  it('keeps its secrets across a restart when it has a state directory (mode 0600), seeding only once', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'relay-sm-'));
    try {
      const first = await startLocalSecretsManager({
        stateDir: dir,
        seed: { [NAME]: () => newCursorKeySecret('k1') },
      });
      const value = (await clientFor(first.endpoint).send(new GetSecretValueCommand({ SecretId: NAME })))
        .SecretString;
      const arn = first.secretArn(NAME);
      await first.close();

      // Act
      const second = await startLocalSecretsManager({
        stateDir: dir,
        seed: { [NAME]: () => newCursorKeySecret('other') },
      });
      const again = await clientFor(second.endpoint).send(new GetSecretValueCommand({ SecretId: arn }));
      await second.close();

      // Assess
      expect(again.SecretString).toBe(value);
      expect(statSync(join(dir, 'local-secrets-manager.json')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats a repeated ClientRequestToken as the same put, and another value under it as a conflict', async () => {
    // Prepare
    const client = clientFor(local.endpoint);
    const token = `token-${randomBytes(8).toString('hex')}`;
    const value = JSON.stringify({ current: 'k3', k3: material() });

    // Act
    const first = await client.send(
      new PutSecretValueCommand({ SecretId: NAME, SecretString: value, ClientRequestToken: token }),
    );
    const repeat = await client.send(
      new PutSecretValueCommand({ SecretId: NAME, SecretString: value, ClientRequestToken: token }),
    );
    const conflict = await client
      .send(
        new PutSecretValueCommand({ SecretId: NAME, SecretString: `${value} `, ClientRequestToken: token }),
      )
      .catch((e) => e);

    // Assess
    expect(repeat.VersionId).toBe(first.VersionId);
    expect(conflict.name).toBe('ResourceExistsException');
  });

  it('lets the provider pick up a rotation after its TTL and still open cursors of the previous key', async () => {
    // Prepare
    const NAME2 = 'relay-test/rotation';
    const own = await startLocalSecretsManager({ seed: { [NAME2]: () => newCursorKeySecret('k1') } });
    try {
      const client = clientFor(own.endpoint);
      const clock = { now: 0 };
      const keys = secretsManagerCursorKeys(client, own.secretArn(NAME2), {
        ttlMs: 1_000,
        now: () => clock.now,
      });
      const before = await keys();
      const old = encodeCursor(before, 'customers', { '0': 'end' });
      const oldMaterial = JSON.parse(
        (await client.send(new GetSecretValueCommand({ SecretId: NAME2 }))).SecretString ?? '{}',
      ).k1;

      // Act: new key current, old kept
      await client.send(
        new PutSecretValueCommand({
          SecretId: NAME2,
          SecretString: JSON.stringify({ current: 'k2', k2: material(), k1: oldMaterial }),
        }),
      );
      const cachedStill = await keys();
      clock.now += 1_000;
      const after = await keys();

      // Assess
      expect(cachedStill.currentKeyId).toBe('k1');
      expect(after.currentKeyId).toBe('k2');
      expect(decodeCursor(after, 'customers', old)).toEqual({ '0': 'end' });
      expect(
        own.calls.filter((c) => c.operation === 'GetSecretValue' && c.versionStage === 'AWSCURRENT'),
      ).toHaveLength(2);
    } finally {
      await own.close();
    }
  });
});

describe('Listing through the API across a rotation', () => {
  let api: TestApi;
  let http: ReturnType<typeof apiClient>;
  let secretsManager: LocalSecretsManager;
  let secretId: string;

  beforeAll(async () => {
    await useTestTable('cursor-keys');
    api = await startTestApi();
    http = apiClient(api);
    ({ secretsManager } = await testCursorKeys());
    secretId = String(process.env.CURSOR_KEYS_SECRET_ID);
    for (const name of ['Ada', 'Grace', 'Edsger']) {
      expect((await http.post('/customers', { firstName: name })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('keeps a cursor from before the rotation valid, seals new ones under the new key, refuses it after the window', async () => {
    // Prepare: a cursor under the seeded key
    const client = clientFor(secretsManager.endpoint);
    const seeded = JSON.parse(
      (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString ?? '{}',
    );
    const oldId = String(seeded.current);
    const first = await http.get<Json>('/customers?limit=1');
    const oldCursor = String(first.body.nextCursor);
    expect(oldCursor.startsWith(`v1.${oldId}.`)).toBe(true);

    // Act 1: rotate (new current, previous kept); a new container reads the new version
    await client.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        SecretString: JSON.stringify({
          current: 'rotated-2',
          'rotated-2': material(),
          [oldId]: seeded[oldId],
        }),
      }),
    );
    resetDeps();
    const during = await http.get<Json>(`/customers?limit=1&cursor=${encodeURIComponent(oldCursor)}`);

    // Act 2: the window is over, the old key is removed
    await client.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        SecretString: JSON.stringify({
          current: 'rotated-2',
          'rotated-2': JSON.parse(
            (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString ?? '{}',
          )['rotated-2'],
        }),
      }),
    );
    resetDeps();
    const after = await http.get<Json>(`/customers?limit=1&cursor=${encodeURIComponent(oldCursor)}`);
    const newCursorStillWorks = await http.get<Json>(
      `/customers?limit=1&cursor=${encodeURIComponent(String(during.body.nextCursor))}`,
    );

    // Assess
    expect(during.status).toBe(200);
    expect(during.body.items).toHaveLength(1);
    expect(during.body.items[0].id).not.toBe(first.body.items[0].id);
    expect(String(during.body.nextCursor).startsWith('v1.rotated-2.')).toBe(true);
    expect(after.status).toBe(400);
    expect(after.body.errors[0]).toMatchObject({ path: 'query.cursor', code: 'invalid_cursor' });
    expect(newCursorStillWorks.status).toBe(200);
  });

  it('fails the listing with a 500 when its secret does not exist (no fallback key)', async () => {
    // Prepare
    process.env.CURSOR_KEYS_SECRET_ID = 'relay-test/does-not-exist';
    resetDeps();

    try {
      // Act
      const res = await http.get<Json>('/customers?limit=1');

      // Assess
      expect(res.status).toBe(500);
      expect(res.body.type).toContain('internal-error');
    } finally {
      process.env.CURSOR_KEYS_SECRET_ID = secretId;
      resetDeps();
    }
  });
});
