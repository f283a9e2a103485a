/**
 * A local stand-in for AWS KMS speaking its JSON 1.1 protocol (`TrentService.*`), so the real
 * `@aws-sdk/client-kms` (through `AWS_ENDPOINT_URL_KMS`) runs the same envelope code as in AWS
 * (`shared/aws/kms-envelope.ts`). One symmetric key; `GenerateDataKey` and `Decrypt` behave as
 * KMS documents them where Relay depends on it:
 * - the encryption context is bound to the wrapped key: `Decrypt` with another context fails with
 *   `InvalidCiphertextException`, as does a tampered blob;
 * - `Decrypt` with a `KeyId` other than the blob's key fails with `IncorrectKeyException`;
 * - an unknown key id or alias is `NotFoundException`; `KeySpec`/`NumberOfBytes` are validated.
 * Key material: 32 bytes in memory (tests) or in `.relay/local-kms.json` (npm start, so the
 * webhook secrets sealed in a persistent local table still open after a restart).
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsJsonError, startAwsJsonServer } from '#infra/local/aws-json';
import { LOCAL_ACCOUNT, LOCAL_AWS_REGION } from '#infra/local/lambda';
import { createStateFile } from '#infra/local/state-file';

export interface LocalKms {
  endpoint: string;
  /** ARN of the local key (what CDK passes as `WEBHOOK_SECRET_KEY_ID`). */
  keyArn: string;
  /** Calls by operation name, for tests that check who asked for what. */
  calls: Array<{ operation: string; keyId?: string }>;
  close(): Promise<void>;
}

export interface LocalKmsOptions {
  port?: number;
  /** Directory holding `local-kms.json`; in memory when absent. */
  stateDir?: string;
  /** Alias the key answers to besides its id and ARN (default `alias/relay-local/webhook-secrets`). */
  alias?: string;
}

interface KeyState {
  keyId: string;
  material: Buffer;
}

const FILE = 'local-kms.json';
const VERSION = 1;
const IV = 12;
const TAG = 16;

const loadOrCreate = (dir: string | undefined): KeyState => {
  if (!dir) return { keyId: randomUUID(), material: randomBytes(32) };
  const file = join(dir, FILE);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { keyId?: string; material?: string };
    const material = Buffer.from(stored.material ?? '', 'base64');
    if (!stored.keyId || material.length !== 32)
      throw new Error(`${file}: not a local KMS key; delete it to regenerate`);
    return { keyId: stored.keyId, material };
  }
  const state = { keyId: randomUUID(), material: randomBytes(32) };
  const text = JSON.stringify({ keyId: state.keyId, material: state.material.toString('base64') });
  // Another process that started at the same moment may have created it first: use its key.
  return createStateFile(file, text) ? state : loadOrCreate(dir);
};

/** Canonical encryption context (sorted pairs), the additional data of the key wrap. */
const contextBytes = (value: unknown): Buffer => {
  if (value === undefined || value === null) return Buffer.from('[]');
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AwsJsonError('ValidationException', 'EncryptionContext must be a map of strings');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [, item] of entries) {
    if (typeof item !== 'string')
      throw new AwsJsonError('ValidationException', 'EncryptionContext values are strings');
  }
  return Buffer.from(JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
};

const base64Of = (value: unknown, field: string): Buffer => {
  if (typeof value !== 'string' || value === '') {
    throw new AwsJsonError('ValidationException', `${field} is required`);
  }
  return Buffer.from(value, 'base64');
};

export const startLocalKms = async (options: LocalKmsOptions = {}): Promise<LocalKms> => {
  const key = loadOrCreate(options.stateDir);
  const keyArn = `arn:aws:kms:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT}:key/${key.keyId}`;
  const alias = options.alias ?? 'alias/relay-local/webhook-secrets';
  const calls: LocalKms['calls'] = [];

  const resolve = (keyId: unknown): void => {
    if (typeof keyId !== 'string' || keyId === '')
      throw new AwsJsonError('ValidationException', 'KeyId is required');
    const known = [key.keyId, keyArn, alias, `arn:aws:kms:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT}:${alias}`];
    if (!known.includes(keyId)) throw new AwsJsonError('NotFoundException', `Key '${keyId}' does not exist`);
  };

  /** Blob: version byte, iv, wrapped bytes + tag; AAD = key id + context. */
  const wrap = (plaintext: Buffer, context: Buffer): Buffer => {
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    cipher.setAAD(Buffer.concat([Buffer.from(key.keyId), context]));
    return Buffer.concat([
      Buffer.of(VERSION),
      iv,
      cipher.update(plaintext),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
  };
  const unwrap = (blob: Buffer, context: Buffer): Buffer => {
    if (blob.length < 1 + IV + TAG + 1 || blob[0] !== VERSION) {
      throw new AwsJsonError('InvalidCiphertextException', 'The ciphertext is invalid');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.material, blob.subarray(1, 1 + IV));
      decipher.setAAD(Buffer.concat([Buffer.from(key.keyId), context]));
      decipher.setAuthTag(blob.subarray(blob.length - TAG));
      return Buffer.concat([decipher.update(blob.subarray(1 + IV, blob.length - TAG)), decipher.final()]);
    } catch {
      // What KMS answers for a wrong encryption context or a tampered blob.
      throw new AwsJsonError('InvalidCiphertextException', 'The ciphertext is invalid');
    }
  };

  const server = await startAwsJsonServer({
    port: options.port,
    protocol: '1.1',
    targetPrefix: 'TrentService',
    operations: {
      GenerateDataKey: (body) => {
        calls.push({ operation: 'GenerateDataKey', keyId: String(body.KeyId) });
        resolve(body.KeyId);
        const spec = body.KeySpec;
        const count = body.NumberOfBytes;
        if ((spec === undefined) === (count === undefined)) {
          throw new AwsJsonError('ValidationException', 'Specify either KeySpec or NumberOfBytes');
        }
        let size: number;
        if (spec !== undefined) {
          if (spec !== 'AES_256' && spec !== 'AES_128')
            throw new AwsJsonError('ValidationException', 'KeySpec is invalid');
          size = spec === 'AES_256' ? 32 : 16;
        } else {
          if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 1024) {
            throw new AwsJsonError('ValidationException', 'NumberOfBytes must be between 1 and 1024');
          }
          size = count as number;
        }
        const plaintext = randomBytes(size);
        return {
          KeyId: keyArn,
          Plaintext: plaintext.toString('base64'),
          CiphertextBlob: wrap(plaintext, contextBytes(body.EncryptionContext)).toString('base64'),
        };
      },
      Decrypt: (body) => {
        calls.push({
          operation: 'Decrypt',
          ...(typeof body.KeyId === 'string' ? { keyId: body.KeyId } : {}),
        });
        if (body.KeyId !== undefined) {
          try {
            resolve(body.KeyId);
          } catch {
            throw new AwsJsonError(
              'IncorrectKeyException',
              'The key ID in the request does not identify the key that encrypted the ciphertext',
            );
          }
        }
        const plaintext = unwrap(
          base64Of(body.CiphertextBlob, 'CiphertextBlob'),
          contextBytes(body.EncryptionContext),
        );
        return {
          KeyId: keyArn,
          Plaintext: plaintext.toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      },
    },
  });
  return { endpoint: server.url, keyArn, calls, close: () => server.close() };
};
