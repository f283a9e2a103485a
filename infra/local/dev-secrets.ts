/**
 * Development secrets for the local cloud: an RS256 key pair that signs dev JWTs (the local HTTP
 * server verifies them the way the API Gateway JWT authorizer verifies Cognito tokens). Generated
 * once into `.relay/dev-secrets.json` (git-ignored, mode 0600) and reused by every later run, so
 * tokens minted by `npm run token` stay valid across restarts. (The cursor key ring is a secret
 * of the local Secrets Manager stand-in, `infra/local/secrets-manager.ts`.)
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { createStateFile } from '#infra/local/state-file';

export const DEV_JWT_ALG = 'RS256';
/** `iss` of dev tokens (the cloud uses `https://cognito-idp.<region>.amazonaws.com/<pool>`). */
export const LOCAL_ISSUER = 'https://auth.relay.localhost';
/** `client_id` of dev tokens: the app client the local authorizer accepts (its "audience"). */
export const LOCAL_CLIENT_ID = 'relay-local-client';

/** Repository root (this file lives in `infra/local/`). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Default directory for local state: `<repo>/.relay`, git-ignored. */
export const defaultRelayDir = (): string => join(repoRoot, '.relay');

export interface DevKeys {
  alg: typeof DEV_JWT_ALG;
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  issuer: string;
  clientId: string;
}

export interface DevSecrets {
  keys: DevKeys;
  /** File the secrets were read from or written to; `null` for in-memory secrets. */
  file: string | null;
  /** True when this call generated the file. */
  created: boolean;
}

interface StoredSecrets {
  version: 1;
  createdAt: string;
  alg: typeof DEV_JWT_ALG;
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  /** Files written before the cursor key ring moved to Secrets Manager still carry it (unused). */
  cursorSecret?: string;
}

const FILE_NAME = 'dev-secrets.json';

const generateStored = async (): Promise<StoredSecrets> => {
  const { privateKey, publicKey } = await generateKeyPair(DEV_JWT_ALG, {
    modulusLength: 2048,
    extractable: true,
  });
  const kid = randomUUID();
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    alg: DEV_JWT_ALG,
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: DEV_JWT_ALG, use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: DEV_JWT_ALG, use: 'sig' },
  };
};

const hydrate = async (stored: StoredSecrets, file: string | null, created: boolean): Promise<DevSecrets> => {
  if (stored.version !== 1 || stored.alg !== DEV_JWT_ALG) {
    throw new Error(`${file ?? 'dev secrets'}: unsupported format; delete the file to regenerate it`);
  }
  const privateKey = await importJWK(stored.privateJwk, DEV_JWT_ALG);
  const publicKey = await importJWK(stored.publicJwk, DEV_JWT_ALG);
  if (!(privateKey instanceof CryptoKey) || !(publicKey instanceof CryptoKey)) {
    throw new Error(`${file ?? 'dev secrets'}: keys are not RSA JWKs; delete the file to regenerate it`);
  }
  return {
    keys: {
      alg: DEV_JWT_ALG,
      kid: stored.kid,
      privateKey,
      publicKey,
      issuer: LOCAL_ISSUER,
      clientId: LOCAL_CLIENT_ID,
    },
    file,
    created,
  };
};

/** Fresh secrets that live only in memory (tests). */
export const generateDevSecrets = async (): Promise<DevSecrets> =>
  hydrate(await generateStored(), null, false);

const readStored = (file: string): StoredSecrets | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(
      `${file}: cannot read dev secrets (${(error as Error).message}); delete it to regenerate`,
    );
  }
};

/**
 * Reads `<dir>/dev-secrets.json`, generating it first when missing. Safe when several processes
 * start at once: the file appears atomically (written aside, then hard-linked into place), and a
 * process that loses the race reads the winner's file.
 */
export const loadDevSecrets = async (dir: string = defaultRelayDir()): Promise<DevSecrets> => {
  const file = join(resolve(dir), FILE_NAME);
  const existing = readStored(file);
  if (existing) return hydrate(existing, file, false);

  const stored = await generateStored();
  if (createStateFile(file, `${JSON.stringify(stored, null, 2)}\n`)) return hydrate(stored, file, true);
  const winner = readStored(file);
  if (!winner) throw new Error(`${file} appeared but cannot be read`);
  return hydrate(winner, file, false);
};
