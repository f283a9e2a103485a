/**
 * The app's functions as the local cloud runs them: every function CDK builds
 * (`appFunctionDefs`), with the timeout, memory and environment `functionSettings` derives for the
 * local stage (dev's settings, `infra/local/stage.ts`), its resource references resolved to the
 * local table, bus, state machines, cursor key and KMS key, plus the runtime variables Lambda sets.
 * `useLocalFunctions(localFunctions(…))` makes every handler file of the app run as its function
 * (`infra/local/lambda.ts`).
 */
import type { RuleDef } from '#events/rules';
import {
  appFunctionDefs,
  type EnvRefValues,
  envRefResolver,
  type FunctionDef,
  functionSettings,
  resolveEnvironment,
} from '#infra/config/functions';
import type { StageConfig } from '#infra/config/stages';
import { functionNameFor, LOCAL_AWS_REGION, type LocalFunction } from '#infra/local/lambda';

/**
 * Variables of the process a function sees as well, as Lambda's platform provides their
 * counterparts: credentials, region, the `AWS_ENDPOINT_URL_*` of the local services, and the
 * basics of a process (PATH, HOME, TMPDIR, TZ, LANG).
 */
const PLATFORM_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'PATH',
  'HOME',
  'TMPDIR',
  'TZ',
  'LANG',
];
const isPlatformVariable = (name: string): boolean =>
  PLATFORM_VARIABLES.includes(name) || name.startsWith('AWS_ENDPOINT_URL');

export interface LocalFunctionsOptions {
  /** The stage whose settings apply (`localStageConfig()`: dev's). */
  readonly stage: StageConfig;
  /** The local values of the environment's references. */
  readonly refs: EnvRefValues;
  /** The bus rules whose consumers exist (default: none but `events/rules.ts` passed by the caller). */
  readonly rules: readonly RuleDef[];
  /** Variables set for every function on top of its settings, each a documented local difference. */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Multiplies every timeout (tests: e.g. 0.001 makes a 10 s timeout 10 ms). Default 1. */
  readonly timeScale?: number;
  /** The process environment the platform variables are taken from (default `process.env`). */
  readonly platform?: Readonly<Record<string, string | undefined>>;
}

/** The environment a function's settings give it locally (references resolved, nothing added). */
export const localSettingsEnvironment = (
  stage: StageConfig,
  def: FunctionDef,
  refs: EnvRefValues,
): Record<string, string> => {
  const settings = functionSettings(stage, def);
  return resolveEnvironment(settings.environment, envRefResolver(refs, `local function ${settings.entry}`));
};

/** One function of the app as the local cloud runs it. */
export const localFunction = (def: FunctionDef, options: LocalFunctionsOptions): LocalFunction => {
  const settings = functionSettings(options.stage, def);
  const name = functionNameFor(settings.entry);
  const platform = Object.fromEntries(
    Object.entries(options.platform ?? process.env).filter(
      (entry): entry is [string, string] => isPlatformVariable(entry[0]) && entry[1] !== undefined,
    ),
  );
  return {
    name,
    entry: settings.entry,
    timeoutSeconds: settings.timeoutSeconds,
    timeoutMs: Math.max(1, Math.round(settings.timeoutSeconds * 1000 * (options.timeScale ?? 1))),
    memoryMB: settings.memoryMB,
    environment: {
      ...platform,
      // What Lambda's runtime sets for every function.
      AWS_REGION: LOCAL_AWS_REGION,
      AWS_DEFAULT_REGION: LOCAL_AWS_REGION,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memoryMB),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
      ...localSettingsEnvironment(options.stage, def, options.refs),
      ...options.overrides,
    },
  };
};

/** Every function of the app (areas, consumers of `rules`, stream publisher, workflow tasks, …). */
export const localFunctions = (options: LocalFunctionsOptions): LocalFunction[] =>
  appFunctionDefs(options.rules).map((def) => localFunction(def, options));
