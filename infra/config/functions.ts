/**
 * THE per-function settings: for a stage and a function of the app, its handler file, timeout,
 * memory and environment. `RelayFunction` (CDK) and the local cloud (`infra/local/functions.ts`)
 * both call `functionSettings`, so a function times out, sizes and reads its environment locally
 * exactly as it does in AWS; `test/infra/function-settings.test.ts` compares the local derivation
 * with the synthesized template for every function.
 *
 * Environment values that name a resource (the table, the bus, a state machine, the cursor secret,
 * the webhook secrets key) are references (`EnvRef`): CDK resolves them to its tokens, the local
 * cloud to its local names and ARNs (`resolveEnvironment`). Free of CDK imports.
 */
import type { RuleDef } from '#events/rules';
import type { StageConfig } from '#infra/config/stages';
import {
  placeholdersOf,
  readWorkflowDefinition,
  resolvePlaceholder,
  taskTimeoutsOf,
  workflowNames,
  workflowStarters,
} from '#infra/config/workflows';
import { areaEntryOf } from '#shared/capabilities/capability';
import { type CapabilityName, capabilities, capabilityByName } from '#shared/capabilities/index';
import { type ConfigKey, envNameOf } from '#shared/config';

/** One function of the app. */
export type FunctionDef =
  /** The HTTP area function of a capability (`functions/http/<area>/index.ts`). */
  | { readonly kind: 'area'; readonly area: CapabilityName }
  /** The Lambda consumer of a handler file that rules target (`timeoutSeconds` of the first such rule). */
  | { readonly kind: 'consumer'; readonly handler: string; readonly timeoutSeconds?: number }
  /** The table-stream publisher. */
  | { readonly kind: 'stream-publisher' }
  /** The function behind a workflow's `${<Task>FunctionArn}` placeholder. */
  | { readonly kind: 'workflow-task'; readonly workflow: string; readonly placeholder: string }
  /** The hourly recycle-bin sweep. */
  | { readonly kind: 'recycle-bin-sweeper' }
  /** Cognito's pre-token-generation trigger. */
  | { readonly kind: 'pre-token-generation' };

/** An environment value that names a resource of the stage. */
export type EnvRef =
  | { readonly ref: 'tableName' }
  | { readonly ref: 'eventBusName' }
  | { readonly ref: 'cursorKeysSecretArn' }
  | { readonly ref: 'webhookSecretKeyArn' }
  | { readonly ref: 'stateMachineArn'; readonly workflow: string };

export type EnvValue = string | EnvRef;

export interface FunctionSettings {
  /** Handler file, relative to the repository root. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMB: number;
  readonly environment: Readonly<Record<string, EnvValue>>;
}

export { streamPublisherEntry } from '#infra/config/stream-source';

import { streamPublisherEntry } from '#infra/config/stream-source';
export const recycleBinSweeperEntry = 'functions/schedules/sweep-recycle-bin.ts';
export const preTokenGenerationEntry = 'functions/auth/pre-token-generation.ts';

/** Lambda's maximum timeout. */
const MAX_TIMEOUT_SECONDS = 900;

/** Task functions that open webhook signing secrets (Decrypt with the stage's key; docs/adr/0013). */
const webhookSecretOpeners: ReadonlySet<string> = new Set([
  'functions/workflows/webhook-delivery/deliver-webhook.ts',
]);

const tableName: EnvRef = { ref: 'tableName' };
const eventBusName: EnvRef = { ref: 'eventBusName' };

/** What a configuration key (`shared/config.ts`) is set to. */
const configValue = (stage: StageConfig, key: ConfigKey): EnvValue => {
  switch (key) {
    case 'stage':
      return stage.stage;
    case 'tableName':
      return tableName;
    case 'cursorKeysSecretId':
      return { ref: 'cursorKeysSecretArn' };
    case 'webhookSecretKeyId':
      return { ref: 'webhookSecretKeyArn' };
    case 'webhookStateMachineArn':
      return { ref: 'stateMachineArn', workflow: 'webhook-delivery' };
  }
};

/**
 * The state machine ARN variables of a function: of the workflows it is declared to start
 * (`started`, a capability's `workflowStarters`) and of those that name its entry as a starter
 * (`workflowStarters` in infra/config/workflows.ts).
 */
const starterEnvironment = (entry: string, started: readonly string[] = []): Record<string, EnvValue> => {
  const environment: Record<string, EnvValue> = {};
  for (const workflow of started) {
    const starter = workflowStarters[workflow];
    if (!starter) throw new Error(`Workflow ${workflow} has no ARN variable in infra/config/workflows.ts`);
    environment[starter.env] = { ref: 'stateMachineArn', workflow };
  }
  for (const [workflow, { env, starters }] of Object.entries(workflowStarters)) {
    if (starters.includes(entry)) environment[env] = { ref: 'stateMachineArn', workflow };
  }
  return environment;
};

/** What every function gets. */
const baseEnvironment = (stage: StageConfig): Record<string, EnvValue> => ({
  STAGE: stage.stage,
  POWERTOOLS_SERVICE_NAME: 'relay',
  POWERTOOLS_LOG_LEVEL: stage.logLevel,
  NODE_OPTIONS: '--enable-source-maps',
  RECYCLE_BIN_DAYS: String(stage.privacy.recycleBinDays),
  // Consumers remember handled events at least as long as the archive keeps them (replay-safe).
  DEDUPE_TTL_DAYS: String(Math.max(7, stage.events.archiveRetention.toDays())),
});

/** The timeout, memory and environment of one function in `stage`. */
export const functionSettings = (stage: StageConfig, def: FunctionDef): FunctionSettings => {
  const defaults = {
    timeoutSeconds: stage.functions.timeout.toSeconds(),
    memoryMB: stage.functions.memorySize,
  };
  const base = baseEnvironment(stage);
  switch (def.kind) {
    case 'area': {
      const capability = capabilityByName(def.area);
      const entry = areaEntryOf(def.area);
      const environment: Record<string, EnvValue> = { ...base };
      for (const key of capability.config) environment[envNameOf(key)] = configValue(stage, key);
      if (capability.tableAccess !== 'none') environment[envNameOf('tableName')] = tableName;
      Object.assign(environment, starterEnvironment(entry, capability.workflowStarters));
      return { entry, ...defaults, environment };
    }
    case 'consumer':
      return {
        entry: def.handler,
        timeoutSeconds: def.timeoutSeconds ?? defaults.timeoutSeconds,
        memoryMB: defaults.memoryMB,
        environment: {
          ...base,
          EVENT_BUS_NAME: eventBusName,
          TABLE_NAME: tableName,
          ...starterEnvironment(def.handler),
        },
      };
    case 'stream-publisher':
      return {
        entry: streamPublisherEntry,
        // A batch of 100 records is at most 10+ PutEvents requests, each retried on partial failure.
        timeoutSeconds: 60,
        memoryMB: defaults.memoryMB,
        environment: {
          ...base,
          EVENT_BUS_NAME: eventBusName,
          AUDIT_RETENTION_DAYS: String(stage.auditRetentionDays),
          TABLE_NAME: tableName,
        },
      };
    case 'workflow-task': {
      const resolved = resolvePlaceholder(def.workflow, def.placeholder);
      if (resolved.kind !== 'function') {
        throw new Error(`\${${def.placeholder}} of workflow ${def.workflow} is not a task function`);
      }
      // The task state's TimeoutSeconds (capped at Lambda's maximum), else the stage default.
      const taskTimeout = taskTimeoutsOf(readWorkflowDefinition(def.workflow))[def.placeholder];
      return {
        entry: resolved.entry,
        timeoutSeconds:
          taskTimeout === undefined ? defaults.timeoutSeconds : Math.min(taskTimeout, MAX_TIMEOUT_SECONDS),
        memoryMB: defaults.memoryMB,
        environment: {
          ...base,
          TABLE_NAME: tableName,
          ...(webhookSecretOpeners.has(resolved.entry)
            ? { [envNameOf('webhookSecretKeyId')]: { ref: 'webhookSecretKeyArn' } }
            : {}),
          ...starterEnvironment(resolved.entry),
        },
      };
    }
    case 'recycle-bin-sweeper':
      return {
        entry: recycleBinSweeperEntry,
        timeoutSeconds: 5 * 60,
        memoryMB: defaults.memoryMB,
        environment: { ...base, TABLE_NAME: tableName },
      };
    case 'pre-token-generation':
      return { entry: preTokenGenerationEntry, timeoutSeconds: 5, memoryMB: 256, environment: base };
  }
};

/** The consumers of `rules`: one per distinct Lambda handler, with the timeout of the first rule naming it. */
export const consumerDefs = (rules: readonly RuleDef[]): FunctionDef[] => {
  const byHandler = new Map<string, FunctionDef>();
  for (const rule of rules) {
    if (rule.target.kind !== 'lambda' || byHandler.has(rule.target.handler)) continue;
    const { handler, timeoutSeconds } = rule.target;
    byHandler.set(handler, {
      kind: 'consumer',
      handler,
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    });
  }
  return [...byHandler.values()];
};

/** The task functions of every workflow whose ASL file exists. */
export const workflowTaskDefs = (): FunctionDef[] =>
  workflowNames().flatMap((workflow) =>
    placeholdersOf(readWorkflowDefinition(workflow))
      .filter((placeholder) => resolvePlaceholder(workflow, placeholder).kind === 'function')
      .map((placeholder): FunctionDef => ({ kind: 'workflow-task', workflow, placeholder })),
  );

/** Every function of the app, as CDK builds them. */
export const appFunctionDefs = (rules: readonly RuleDef[]): FunctionDef[] => [
  ...capabilities.map((capability): FunctionDef => ({ kind: 'area', area: capability.name })),
  ...consumerDefs(rules),
  { kind: 'stream-publisher' },
  ...workflowTaskDefs(),
  { kind: 'recycle-bin-sweeper' },
  { kind: 'pre-token-generation' },
];

/** Resolves the references of an environment with `resolve` (CDK tokens, or local names and ARNs). */
export const resolveEnvironment = (
  environment: Readonly<Record<string, EnvValue>>,
  resolve: (ref: EnvRef) => string,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : resolve(value),
    ]),
  );

/** What the references resolve to where a function is built (CDK tokens, or local names and ARNs). */
export interface EnvRefValues {
  readonly tableName?: string;
  readonly eventBusName?: string;
  readonly cursorKeysSecretArn?: string;
  readonly webhookSecretKeyArn?: string;
  readonly stateMachineArn?: (workflow: string) => string;
}

/** A resolver over `values` that throws, naming `owner`, on a reference it has no value for. */
export const envRefResolver =
  (values: EnvRefValues, owner: string) =>
  (ref: EnvRef): string => {
    const value = ref.ref === 'stateMachineArn' ? values.stateMachineArn?.(ref.workflow) : values[ref.ref];
    if (value === undefined) {
      throw new Error(`${owner}: its environment names ${JSON.stringify(ref)}, which was not provided`);
    }
    return value;
  };
