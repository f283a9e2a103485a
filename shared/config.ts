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
  /** Days a deleted record stays restorable in the recycle bin (`RECYCLE_BIN_DAYS`, stage config). */
  recycleBinDays: number;
}

/** Whole days in [1, 3650]; the stage config sets it, 30 when a caller (a test) leaves it out. */
const days = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 3650) {
    throw new Error(`${name} must be a whole number of days between 1 and 3650, got "${raw}"`);
  }
  return value;
};

let cached: RelayConfig | undefined;

export const config = (): RelayConfig => {
  if (cached) return cached;
  const cursorSecret = required('CURSOR_SECRET');
  if (cursorSecret.length < 32) throw new Error('CURSOR_SECRET must be at least 32 characters');
  cached = {
    stage: required('STAGE'),
    tableName: required('TABLE_NAME'),
    cursorSecret,
    recycleBinDays: days('RECYCLE_BIN_DAYS', 30),
  };
  return cached;
};

/** For tests and the local cloud, which set the environment after import. */
export const resetConfig = (): void => {
  cached = undefined;
};
