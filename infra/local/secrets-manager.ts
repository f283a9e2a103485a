/**
 * A local stand-in for AWS Secrets Manager speaking its JSON 1.1 protocol (`secretsmanager.*`), so
 * the real `@aws-sdk/client-secrets-manager` (through `AWS_ENDPOINT_URL_SECRETS_MANAGER`) reads the
 * cursor key ring as in AWS (`shared/aws/cursor-keys.ts`). What Relay depends on behaves as
 * Secrets Manager documents it:
 * - `GetSecretValue` by name or ARN, by `VersionStage` (default `AWSCURRENT`) or `VersionId`; an
 *   unknown secret, stage or version is `ResourceNotFoundException`;
 * - `PutSecretValue` adds a version labelled `AWSCURRENT` (default) and moves `AWSPREVIOUS` to the
 *   version that was current — the rotation step of docs/adr/0015-cursor-keys.md; a repeated
 *   `ClientRequestToken` with the same value is idempotent, with another value
 *   `ResourceExistsException`.
 * Secrets live in memory (tests) or in `.relay/local-secrets-manager.json` (npm start, mode 0600),
 * seeded on first use (e.g. with a freshly generated cursor key ring).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsJsonError, epochSeconds, startAwsJsonServer } from '#infra/local/aws-json';
import { LOCAL_ACCOUNT, LOCAL_AWS_REGION } from '#infra/local/lambda';
import { replaceStateFile } from '#infra/local/state-file';
import { CURRENT_MEMBER, cursorKeysSecretNameFor } from '#shared/aws/cursor-keys';

export interface LocalSecretsManager {
  endpoint: string;
  /** ARN of a secret by name (what CDK passes as `CURSOR_KEYS_SECRET_ID`). */
  secretArn(name: string): string;
  /** Calls by operation name, for tests that check who asked for what (never values). */
  calls: Array<{ operation: string; secretId?: string; versionStage?: string }>;
  close(): Promise<void>;
}

export interface LocalSecretsManagerOptions {
  port?: number;
  /** Directory holding `local-secrets-manager.json`; in memory when absent. */
  stateDir?: string;
  /** Secrets created when absent: name → initial value (called once, at creation). */
  seed?: Record<string, () => string>;
}

interface Version {
  id: string;
  value: string;
  stages: string[];
  createdAt: string;
  token?: string;
}

interface StoredSecret {
  name: string;
  arn: string;
  versions: Version[];
}

const FILE = 'local-secrets-manager.json';
const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';

/** A new cursor key ring secret value: one key of 32 random bytes, current (`shared/aws/cursor-keys.ts`). */
export const newCursorKeySecret = (keyId = `local-${randomUUID().slice(0, 8)}`): string =>
  JSON.stringify({ [CURRENT_MEMBER]: keyId, [keyId]: randomBytes(32).toString('base64url') });

const arnOf = (name: string): string =>
  // Secrets Manager appends six random characters to the name in the ARN.
  `arn:aws:secretsmanager:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT}:secret:${name}-${randomBytes(4).toString('base64url').slice(0, 6)}`;

const load = (dir: string | undefined): Map<string, StoredSecret> => {
  const secrets = new Map<string, StoredSecret>();
  if (!dir) return secrets;
  const file = join(dir, FILE);
  if (!existsSync(file)) return secrets;
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { secrets?: StoredSecret[] };
  if (!Array.isArray(stored.secrets))
    throw new Error(`${file}: not a local Secrets Manager state; delete it`);
  for (const secret of stored.secrets) secrets.set(secret.name, secret);
  return secrets;
};

const save = (dir: string | undefined, secrets: Map<string, StoredSecret>): void => {
  if (!dir) return;
  replaceStateFile(join(dir, FILE), `${JSON.stringify({ secrets: [...secrets.values()] }, null, 2)}\n`);
};

const text = (value: unknown, field: string, required = true): string | undefined => {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new AwsJsonError('InvalidParameterException', `${field} must be a non-empty string`);
  }
  return value;
};

export const startLocalSecretsManager = async (
  options: LocalSecretsManagerOptions = {},
): Promise<LocalSecretsManager> => {
  const secrets = load(options.stateDir);
  const now = () => new Date().toISOString();
  let seeded = false;
  for (const [name, initial] of Object.entries(options.seed ?? {})) {
    if (secrets.has(name)) continue;
    secrets.set(name, {
      name,
      arn: arnOf(name),
      versions: [{ id: randomUUID(), value: initial(), stages: [CURRENT], createdAt: now() }],
    });
    seeded = true;
  }
  if (seeded) save(options.stateDir, secrets);
  const calls: LocalSecretsManager['calls'] = [];

  const find = (secretId: unknown): StoredSecret => {
    const id = text(secretId, 'SecretId') as string;
    const secret = secrets.get(id) ?? [...secrets.values()].find((s) => s.arn === id);
    if (!secret)
      throw new AwsJsonError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  };
  const answer = (secret: StoredSecret, version: Version) => ({
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.id,
    VersionStages: [...version.stages],
  });

  const server = await startAwsJsonServer({
    port: options.port,
    protocol: '1.1',
    targetPrefix: 'secretsmanager',
    operations: {
      GetSecretValue: (body) => {
        calls.push({
          operation: 'GetSecretValue',
          ...(typeof body.SecretId === 'string' ? { secretId: body.SecretId } : {}),
          ...(typeof body.VersionStage === 'string' ? { versionStage: body.VersionStage } : {}),
        });
        const secret = find(body.SecretId);
        const versionId = text(body.VersionId, 'VersionId', false);
        const stage = text(body.VersionStage, 'VersionStage', false) ?? (versionId ? undefined : CURRENT);
        const version = secret.versions.find(
          (v) =>
            (versionId === undefined || v.id === versionId) &&
            (stage === undefined || v.stages.includes(stage)),
        );
        if (!version) {
          throw new AwsJsonError(
            'ResourceNotFoundException',
            `Secrets Manager can't find the specified secret value for ${versionId ? `VersionId: ${versionId}` : `staging label: ${stage}`}`,
          );
        }
        return {
          ...answer(secret, version),
          SecretString: version.value,
          CreatedDate: epochSeconds(new Date(version.createdAt)),
        };
      },
      PutSecretValue: (body) => {
        calls.push({
          operation: 'PutSecretValue',
          ...(typeof body.SecretId === 'string' ? { secretId: body.SecretId } : {}),
        });
        const secret = find(body.SecretId);
        const value = text(body.SecretString, 'SecretString') as string;
        const token = text(body.ClientRequestToken, 'ClientRequestToken', false);
        const repeated = token === undefined ? undefined : secret.versions.find((v) => v.token === token);
        if (repeated) {
          if (repeated.value !== value) {
            throw new AwsJsonError(
              'ResourceExistsException',
              'A version with this ClientRequestToken already exists with a different value.',
            );
          }
          return answer(secret, repeated);
        }
        const stages = Array.isArray(body.VersionStages) ? body.VersionStages.map(String) : [CURRENT];
        if (stages.includes(CURRENT)) {
          for (const version of secret.versions) {
            version.stages = version.stages.filter((s) => s !== PREVIOUS);
          }
          const current = secret.versions.find((v) => v.stages.includes(CURRENT));
          if (current) current.stages = [...current.stages.filter((s) => s !== CURRENT), PREVIOUS];
        }
        for (const version of secret.versions) {
          version.stages = version.stages.filter(
            (s) => s === CURRENT || s === PREVIOUS || !stages.includes(s),
          );
        }
        const version: Version = {
          id: token ?? randomUUID(),
          value,
          stages,
          createdAt: now(),
          ...(token ? { token } : {}),
        };
        // Versions without a label are deprecated and eventually removed, as in AWS.
        secret.versions = [...secret.versions.filter((v) => v.stages.length > 0), version];
        save(options.stateDir, secrets);
        return answer(secret, version);
      },
    },
  });

  return {
    endpoint: server.url,
    secretArn: (name) => {
      const secret = secrets.get(name);
      if (!secret) throw new Error(`no local secret named ${name}`);
      return secret.arn;
    },
    calls,
    close: () => server.close(),
  };
};

/**
 * The local cloud's cursor key ring: a stand-in seeded once with a generated ring (kept in
 * `<stateDir>/local-secrets-manager.json`, so cursors survive a restart) and the function
 * environment that points at it. Used by `npm start` and `npm run seed`.
 */
export const startLocalCursorKeys = async (
  stage: string,
  stateDir?: string,
): Promise<{ secretsManager: LocalSecretsManager; env: Record<string, string> }> => {
  const name = cursorKeysSecretNameFor(stage);
  const secretsManager = await startLocalSecretsManager({
    ...(stateDir === undefined ? {} : { stateDir }),
    seed: { [name]: () => newCursorKeySecret() },
  });
  return {
    secretsManager,
    env: {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
      CURSOR_KEYS_SECRET_ID: secretsManager.secretArn(name),
    },
  };
};
