/**
 * The cursor key ring from AWS Secrets Manager (docs/adr/0015-cursor-keys.md). The secret's
 * current version (`AWSCURRENT`) is one JSON object: `current` names the key that seals new
 * cursors, every other member is a key id and its material (≥ 43 characters, e.g. 32 random
 * bytes in base64):
 *
 *   { "current": "k2", "k2": "<material>", "k1": "<material of the previous key>" }
 *
 * Rotation is a new secret version with a new key as `current` and the old one kept beside it;
 * after the longest a cursor lives the old one is removed with a further version. No deploy: a
 * function reads the secret at its first listing and again when its cached copy is older than the
 * TTL (5 minutes). A missing, unreadable or malformed secret throws a `CursorKeysConfigError`
 * (the request fails with a logged 500); there is no fallback key. Error messages name the secret
 * and what is wrong with it, never its value.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type CursorKeyRing, type CursorKeys, cursorKeyRing } from '#shared/db/cursor';

/** How long a function uses a ring before it reads the secret again. */
export const CURSOR_KEYS_TTL_MS = 5 * 60_000;

/** The secret member that names the current key. */
export const CURRENT_MEMBER = 'current';

/** The secret's name in a stage (CDK creates it; the local cloud seeds it). */
export const cursorKeysSecretNameFor = (stage: string): string => `relay-${stage}/cursor-keys`;

/** The cursor key secret is missing, unreadable or malformed: a deployment error, never a 4xx. */
export class CursorKeysConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CursorKeysConfigError';
  }
}

/** Parses the secret's JSON into a ring; throws a `CursorKeysConfigError` naming the problem. */
export const parseCursorKeySecret = (secretId: string, text: string): CursorKeyRing => {
  const fail = (problem: string, cause?: unknown): never => {
    throw new CursorKeysConfigError(
      `Cursor key secret ${secretId}: ${problem}`,
      cause ? { cause } : undefined,
    );
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text, which is key material.
    return fail('the value is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('the value is not a JSON object');
  const { [CURRENT_MEMBER]: current, ...materials } = value as Record<string, unknown>;
  if (typeof current !== 'string' || current === '') return fail(`"${CURRENT_MEMBER}" must name a key id`);
  for (const [id, material] of Object.entries(materials)) {
    if (typeof material !== 'string') return fail(`key "${id}" must be a string`);
  }
  try {
    return cursorKeyRing(current, materials as Record<string, string>);
  } catch (error) {
    // cursorKeyRing names ids and lengths only.
    return fail((error as Error).message);
  }
};

export interface SecretsManagerCursorKeysOptions {
  /** Default `CURSOR_KEYS_TTL_MS`. */
  ttlMs?: number;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
}

/**
 * A provider that reads the ring from the secret once, reuses it for `ttlMs`, then reads it
 * again. Concurrent callers share one read; a failed read is not cached (the next call retries)
 * and never falls back to an older ring.
 */
export const secretsManagerCursorKeys = (
  client: SecretsManagerClient,
  secretId: string,
  options: SecretsManagerCursorKeysOptions = {},
): CursorKeys => {
  const ttlMs = options.ttlMs ?? CURSOR_KEYS_TTL_MS;
  const now = options.now ?? Date.now;
  let cached: { ring: CursorKeyRing; readAt: number } | undefined;
  let reading: Promise<CursorKeyRing> | undefined;

  const read = async (): Promise<CursorKeyRing> => {
    const readAt = now();
    const out = await client
      .send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }))
      .catch((error: unknown) => {
        const name = error instanceof Error ? error.name : 'Error';
        throw new CursorKeysConfigError(`Cursor key secret ${secretId} cannot be read (${name})`, {
          cause: error,
        });
      });
    if (typeof out.SecretString !== 'string') {
      throw new CursorKeysConfigError(`Cursor key secret ${secretId} has no string value`);
    }
    const ring = parseCursorKeySecret(secretId, out.SecretString);
    cached = { ring, readAt };
    return ring;
  };

  return () => {
    if (cached && now() - cached.readAt < ttlMs) return Promise.resolve(cached.ring);
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };
};
