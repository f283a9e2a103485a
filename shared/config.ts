/**
 * Function configuration, read once at module load and checked (fail fast at cold start, not
 * mid-request). Set by CDK (`infra/constructs/relay-function.ts`) and by the local cloud.
 */
const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
};

export interface RelayConfig {
  /** Deployment stage: `local`, `dev`, `staging` or `prod`. */
  stage: string;
  tableName: string;
  /** HMAC key that signs pagination cursors (≥ 32 characters). */
  cursorSecret: string;
}

let cached: RelayConfig | undefined;

export const config = (): RelayConfig => {
  if (cached) return cached;
  const cursorSecret = required('CURSOR_SECRET');
  if (cursorSecret.length < 32) throw new Error('CURSOR_SECRET must be at least 32 characters');
  cached = { stage: required('STAGE'), tableName: required('TABLE_NAME'), cursorSecret };
  return cached;
};

/** For tests and the local cloud, which set the environment after import. */
export const resetConfig = (): void => {
  cached = undefined;
};
