/**
 * Envelope encryption of secrets: the calls it makes to KMS (aws-sdk-client-mock), and its
 * behaviour through the real KMS client against the local KMS stand-in (context binding, tamper,
 * another key).
 */
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalKms, startLocalKms } from '#infra/local/kms';
import { openWithKms, sealWithKms } from '#shared/aws/kms-envelope';
import { UnopenableSecretError } from '#shared/domain/common/secrets';

const KEY = 'arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555';
const DATA_KEY = Buffer.alloc(32, 7);
const WRAPPED = Buffer.from('wrapped-data-key');

describe('Module: kms-envelope (SDK calls)', () => {
  const kms = mockClient(KMSClient);
  beforeEach(() => {
    kms.reset();
    kms.on(GenerateDataKeyCommand).resolves({ KeyId: KEY, Plaintext: DATA_KEY, CiphertextBlob: WRAPPED });
    kms.on(DecryptCommand).resolves({ KeyId: KEY, Plaintext: DATA_KEY });
  });
  afterAll(() => kms.restore());

  it('asks for one AES-256 data key under the key and context, and keeps only the wrapped key', async () => {
    // Act
    const sealed = await sealWithKms(new KMSClient({}), KEY, 'whsec_top-secret', { webhookId: 'w1' });

    // Assess
    expect(kms.commandCalls(GenerateDataKeyCommand).map((call) => call.args[0].input)).toEqual([
      { KeyId: KEY, KeySpec: 'AES_256', EncryptionContext: { webhookId: 'w1' } },
    ]);
    expect(sealed.split('.')).toHaveLength(4);
    expect(sealed.startsWith('kms1.')).toBe(true);
    expect(sealed).not.toContain('top-secret');
    expect(Buffer.from(sealed.split('.')[1] ?? '', 'base64url')).toEqual(WRAPPED);
  });

  it('opens with one Decrypt pinned to the key and the same context', async () => {
    // Prepare
    const sealed = await sealWithKms(new KMSClient({}), KEY, 'whsec_top-secret', { webhookId: 'w1' });

    // Act
    const opened = await openWithKms(new KMSClient({}), KEY, sealed, { webhookId: 'w1' });

    // Assess
    expect(opened).toBe('whsec_top-secret');
    const [decrypt] = kms.commandCalls(DecryptCommand).map((call) => call.args[0].input);
    expect(decrypt).toMatchObject({ KeyId: KEY, EncryptionContext: { webhookId: 'w1' } });
    expect(Buffer.from(decrypt?.CiphertextBlob ?? [])).toEqual(WRAPPED);
  });

  it.each([
    ['another format', 'plain-secret'],
    ['too few parts', 'kms1.abc.def'],
    ['too many parts', 'kms1.a.b.c.d'],
    [
      'a truncated body',
      `kms1.${WRAPPED.toString('base64url')}.${Buffer.alloc(12).toString('base64url')}.AAAA`,
    ],
  ])('refuses %s without calling KMS', async (_name, sealed) => {
    // Act & Assess
    await expect(openWithKms(new KMSClient({}), KEY, sealed, { webhookId: 'w1' })).rejects.toBeInstanceOf(
      UnopenableSecretError,
    );
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('passes a KMS outage on (retryable) instead of calling the secret unopenable', async () => {
    // Prepare
    const sealed = await sealWithKms(new KMSClient({}), KEY, 's', { webhookId: 'w1' });
    kms.on(DecryptCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));

    // Act & Assess
    await expect(openWithKms(new KMSClient({}), KEY, sealed, { webhookId: 'w1' })).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });
});

describe('Module: kms-envelope against the local KMS', () => {
  let local: LocalKms;
  let other: LocalKms;
  let client: KMSClient;
  let otherClient: KMSClient;
  const clientOf = (kms: LocalKms) =>
    new KMSClient({
      endpoint: kms.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  beforeAll(async () => {
    [local, other] = await Promise.all([startLocalKms(), startLocalKms()]);
    client = clientOf(local);
    otherClient = clientOf(other);
  });
  afterAll(async () => {
    client.destroy();
    otherClient.destroy();
    await Promise.all([local.close(), other.close()]);
  });

  it('round-trips any secret under its own context', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
        fc.string({ minLength: 1 }),
        async (secret, id) => {
          // Act
          const sealed = await sealWithKms(client, local.keyArn, secret, { webhookId: id });

          // Assess
          expect(await openWithKms(client, local.keyArn, sealed, { webhookId: id })).toBe(secret);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('does not open under another context, after tampering, or with another key', async () => {
    // Prepare
    const sealed = await sealWithKms(client, local.keyArn, 'whsec_abc', { webhookId: 'w1' });
    const [prefix, wrapped, iv, body] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const wrappedFlipped = Buffer.from(wrapped, 'base64url');
    wrappedFlipped[5] = (wrappedFlipped[5] ?? 0) ^ 1;

    // Act
    const attempts = await Promise.allSettled([
      openWithKms(client, local.keyArn, sealed, { webhookId: 'w2' }),
      openWithKms(client, local.keyArn, [prefix, wrapped, iv, flipped.toString('base64url')].join('.'), {
        webhookId: 'w1',
      }),
      openWithKms(client, local.keyArn, [prefix, wrappedFlipped.toString('base64url'), iv, body].join('.'), {
        webhookId: 'w1',
      }),
      openWithKms(otherClient, other.keyArn, sealed, { webhookId: 'w1' }),
      openWithKms(client, other.keyArn, sealed, { webhookId: 'w1' }),
    ]);

    // Assess
    for (const attempt of attempts) {
      expect(attempt.status).toBe('rejected');
      expect(attempt.status === 'rejected' && attempt.reason).toBeInstanceOf(UnopenableSecretError);
    }
  });

  it('answers an unknown key as KMS does (NotFoundException)', async () => {
    // Act & Assess
    await expect(sealWithKms(client, 'alias/nope', 's', {})).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });
});
