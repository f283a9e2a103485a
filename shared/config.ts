/**
 * The ONE configuration module. Every value a function reads from its environment is declared
 * here once (name, environment variable, zod schema); a function asks for the keys it needs
 * (`requireConfig(['stage', 'tableName'])`, or its capability's `config` list) and gets them
 * validated together, once per container — a missing or malformed value throws at the first
 * (cold-start) use, never an empty-string fallback. Set by CDK (`infra/constructs/relay-function.ts`
 * and the capability constructs) and by the local cloud.
 */
import '#shared/zod-locale';
import * as z from 'zod/mini';

const settings = {
  /** Deployment stage: `local`, `dev`, `staging` or `prod`. */
  stage: { env: 'STAGE', schema: z.string().check(z.minLength(1)) },
  tableName: { env: 'TABLE_NAME', schema: z.string().check(z.minLength(3)) },
  /**
   * ARN (or name) of the Secrets Manager secret holding the cursor key ring — never a key itself
   * (`shared/aws/cursor-keys.ts`, docs/adr/0015-cursor-keys.md).
   */
  cursorKeysSecretId: { env: 'CURSOR_KEYS_SECRET_ID', schema: z.string().check(z.minLength(1)) },
  /** KMS key (ARN) that seals webhook signing secrets: the API seals, the delivery task opens. */
  webhookSecretKeyId: { env: 'WEBHOOK_SECRET_KEY_ID', schema: z.string().check(z.minLength(1)) },
  /** ARN of the webhook-delivery state machine (the dispatcher starts it). */
  webhookStateMachineArn: { env: 'WEBHOOK_STATE_MACHINE_ARN', schema: z.string().check(z.minLength(1)) },
} as const;

export type ConfigKey = keyof typeof settings;
export type FullConfig = { [K in ConfigKey]: z.output<(typeof settings)[K]['schema']> };
export type ConfigOf<K extends ConfigKey> = Pick<FullConfig, K>;

export const configKeys = Object.keys(settings) as ConfigKey[];

/** The environment variable that carries a configuration key (CDK sets exactly these). */
export const envNameOf = (key: ConfigKey): string => settings[key].env;

/**
 * Reads and validates the given keys from an environment. Throws one error naming every missing
 * or invalid variable.
 */
export const readConfig = <K extends ConfigKey>(
  keys: readonly K[],
  env: Record<string, string | undefined> = process.env,
): ConfigOf<K> => {
  const problems: string[] = [];
  const out: Partial<FullConfig> = {};
  for (const key of keys) {
    const { env: name, schema } = settings[key];
    const raw = env[name];
    if (raw === undefined || raw === '') {
      problems.push(`Missing required environment variable ${name}`);
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) (out as Record<string, unknown>)[key] = parsed.data;
    else problems.push(`${name} ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length > 0) throw new Error(problems.join('. '));
  return out as ConfigOf<K>;
};

/** Memoised configs, one map per container (in Lambda a process is one container). */
const caches = new Map<string, Map<string, unknown>>();
let currentContainer: () => string = () => '';

/**
 * Where the caller runs, for memoisation: the local cloud runs every function in one process and
 * names each function's "container" (infra/local/function-env.ts), so one function's config is
 * never another's.
 */
export const useContainerOf = (container: () => string): void => {
  currentContainer = container;
};

/** `readConfig` over `process.env`, memoised per key set (evaluated once per container). */
export const requireConfig = <K extends ConfigKey>(keys: readonly K[]): ConfigOf<K> => {
  const id = [...keys].sort().join(',');
  const container = currentContainer();
  let cache = caches.get(container);
  if (!cache) {
    cache = new Map();
    caches.set(container, cache);
  }
  let found = cache.get(id) as ConfigOf<K> | undefined;
  if (!found) {
    found = readConfig(keys);
    cache.set(id, found);
  }
  return found;
};

/** The configuration of the data-serving HTTP areas: stage, table and the cursor key secret. */
export type RelayConfig = ConfigOf<'stage' | 'tableName' | 'cursorKeysSecretId'>;

export const config = (): RelayConfig => requireConfig(['stage', 'tableName', 'cursorKeysSecretId']);

/**
 * Days a deleted record stays restorable in the recycle bin (`RECYCLE_BIN_DAYS`, set by CDK from
 * the stage's `privacy.recycleBinDays` on every function); 30 where a caller (a test) sets none.
 */
export const recycleBinDays = (): number => {
  const raw = process.env.RECYCLE_BIN_DAYS;
  if (raw === undefined || raw === '') return 30;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 3650) {
    throw new Error(`RECYCLE_BIN_DAYS must be a whole number of days between 1 and 3650, got "${raw}"`);
  }
  return value;
};

/** For tests and the local cloud, which set the environment after import. */
export const resetConfig = (): void => {
  caches.clear();
};
