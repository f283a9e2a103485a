/**
 * Envelope encryption with AWS KMS: `GenerateDataKey` gives a fresh AES-256 data key (plaintext
 * and wrapped under the KMS key); the value is sealed locally with AES-256-GCM and only the wrapped
 * key is kept beside it. Opening calls `Decrypt` on the wrapped key. Both calls carry an
 * encryption context (e.g. `{ webhookId }`) that KMS binds to the wrapped key and that is also the
 * GCM additional data, so a sealed value copied onto another record does not open.
 *
 * Sealing needs only `kms:GenerateDataKey`, opening only `kms:Decrypt`: the function that writes
 * a secret cannot read one back (docs/adr/0013-secrets.md).
 *
 * Format: `kms1.<wrapped key>.<iv>.<ciphertext + 16-byte tag>`, each part base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  type SecretContext,
  type SecretOpener,
  type SecretSealer,
  UnopenableSecretError,
} from '#shared/domain/common/secrets';

let client: KMSClient | undefined;

/** The KMS client, once per container; `AWS_ENDPOINT_URL_KMS` points it at the local stand-in. */
export const kmsClient = (): KMSClient => {
  client ??= new KMSClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  return client;
};

const PREFIX = 'kms1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type EncryptionContext = SecretContext;

/** Canonical form of the context (sorted keys) used as the GCM additional data. */
const aadOf = (context: EncryptionContext): Buffer =>
  Buffer.from(
    JSON.stringify(
      Object.keys(context)
        .sort()
        .map((key) => [key, context[key]]),
    ),
  );

/** What KMS answers for a blob it will not unwrap (tampered, other context, other key). */
const UNOPENABLE = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

export const sealWithKms = async (
  client: KMSClient,
  keyId: string,
  plaintext: string,
  context: EncryptionContext,
): Promise<string> => {
  const out = await client.send(
    new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { ...context } }),
  );
  if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS GenerateDataKey returned no key');
  const dataKey = Buffer.from(out.Plaintext);
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
    cipher.setAAD(aadOf(context));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [PREFIX, Buffer.from(out.CiphertextBlob), iv, sealed]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  } finally {
    dataKey.fill(0);
  }
};

export const openWithKms = async (
  client: KMSClient,
  keyId: string,
  sealed: string,
  context: EncryptionContext,
): Promise<string> => {
  const [prefix, wrapped, iv, body, extra] = sealed.split('.');
  if (prefix !== PREFIX || !wrapped || !iv || !body || extra !== undefined) {
    throw new UnopenableSecretError('not a kms1 sealed value');
  }
  const bytes = Buffer.from(body, 'base64url');
  const ivBytes = Buffer.from(iv, 'base64url');
  if (ivBytes.length !== IV_BYTES || bytes.length <= TAG_BYTES)
    throw new UnopenableSecretError('truncated sealed value');
  // KeyId pins the key: a wrapped key from another KMS key fails (IncorrectKeyException).
  const out = await client
    .send(
      new DecryptCommand({
        KeyId: keyId,
        CiphertextBlob: Buffer.from(wrapped, 'base64url'),
        EncryptionContext: { ...context },
      }),
    )
    .catch((error: unknown) => {
      if (error instanceof Error && UNOPENABLE.has(error.name)) {
        throw new UnopenableSecretError(`KMS refused the wrapped key: ${error.name}`);
      }
      throw error;
    });
  if (!out.Plaintext) throw new Error('KMS Decrypt returned no plaintext');
  const dataKey = Buffer.from(out.Plaintext);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, ivBytes);
    decipher.setAAD(aadOf(context));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new UnopenableSecretError('the sealed value does not open under this context');
  } finally {
    dataKey.fill(0);
  }
};

/** The sealing half on one KMS key (needs `kms:GenerateDataKey` only). */
export const kmsSealer = (kms: KMSClient, keyId: string): SecretSealer => ({
  seal: (plaintext, context) => sealWithKms(kms, keyId, plaintext, context),
});

/** The opening half on one KMS key (needs `kms:Decrypt` only). */
export const kmsOpener = (kms: KMSClient, keyId: string): SecretOpener => ({
  open: (sealed, context) => openWithKms(kms, keyId, sealed, context),
});
