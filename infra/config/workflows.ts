/**
 * The workflow conventions, free of CDK so the local cloud can share them: every
 * `infra/workflows/<name>.asl.json` is a Step Functions definition whose `${Placeholders}` are
 * resolved by name (docs/adr/0005-event-backbone-infra.md):
 *
 * - `${XxxFunctionArn}` → the task function `functions/workflows/<name>/<xxx-kebab>.ts`
 *   (`DeliverWebhookFunctionArn` in `webhook-delivery` → `functions/workflows/webhook-delivery/deliver-webhook.ts`);
 * - `${TableName}` → the stage's table name;
 * - `${EventBusName}` → the stage's bus name.
 *
 * Anything else is an error, so a new workflow needs an ASL file and its task handlers, no CDK code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WEBHOOK_STATE_MACHINE_ENV } from '#shared/aws/sfn';

/** Folder of the ASL files, relative to the repository root. */
export const workflowsDir = 'infra/workflows';
const aslSuffix = '.asl.json';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Repo-relative path of a workflow's definition. */
export const workflowDefinitionPath = (workflow: string): string => `${workflowsDir}/${workflow}${aslSuffix}`;

/** Names of the workflows whose ASL file exists, sorted. */
export const workflowNames = (root: string = repoRoot): string[] => {
  const dir = `${root}${workflowsDir}`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(aslSuffix))
    .map((file) => file.slice(0, -aslSuffix.length))
    .sort();
};

/** The ASL text of a workflow. */
export const readWorkflowDefinition = (workflow: string, root: string = repoRoot): string =>
  readFileSync(`${root}${workflowDefinitionPath(workflow)}`, 'utf8');

/** Distinct `${Name}` placeholders of an ASL text, in order of first appearance. */
export const placeholdersOf = (asl: string): string[] => [
  ...new Set(Array.from(asl.matchAll(/\$\{([^}]*)\}/g), (match) => match[1] ?? '')),
];

/**
 * The longest `TimeoutSeconds` of the Task states that use each placeholder (states nested in
 * Parallel and Map included). CDK gives a task function that timeout, so the ASL stays the one
 * place that says how long a task may take.
 */
export const taskTimeoutsOf = (asl: string): Record<string, number> => {
  const timeouts: Record<string, number> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const state = node as Record<string, unknown>;
    if (state.Type === 'Task' && typeof state.TimeoutSeconds === 'number') {
      for (const name of placeholdersOf(JSON.stringify(state))) {
        timeouts[name] = Math.max(timeouts[name] ?? 0, state.TimeoutSeconds);
      }
    }
    for (const value of Object.values(state)) visit(value);
  };
  visit(JSON.parse(asl));
  return timeouts;
};

/** `DeliverWebhook` → `deliver-webhook`; `SendSESEmail` → `send-ses-email`. */
export const kebabCase = (pascal: string): string =>
  pascal
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();

const functionArnSuffix = 'FunctionArn';

export type Placeholder =
  | { kind: 'function'; name: string; entry: string }
  | { kind: 'tableName'; name: string }
  | { kind: 'eventBusName'; name: string };

/** What a placeholder of `workflow` stands for; throws on a name outside the convention. */
export const resolvePlaceholder = (workflow: string, name: string): Placeholder => {
  if (name === 'TableName') return { kind: 'tableName', name };
  if (name === 'EventBusName') return { kind: 'eventBusName', name };
  const task = name.endsWith(functionArnSuffix) ? name.slice(0, -functionArnSuffix.length) : '';
  if (/^[A-Z][A-Za-z0-9]*$/.test(task)) {
    return { kind: 'function', name, entry: `functions/workflows/${workflow}/${kebabCase(task)}.ts` };
  }
  throw new Error(
    `${workflowDefinitionPath(workflow)}: placeholder \${${name}} follows no convention (expected <Task>FunctionArn, TableName or EventBusName)`,
  );
};

/**
 * Who starts which workflow: the functions (by entry) that get the state machine's ARN in `env`
 * and `states:StartExecution` on it.
 */
export const workflowStarters: Readonly<Record<string, { env: string; starters: readonly string[] }>> = {
  'webhook-delivery': {
    env: WEBHOOK_STATE_MACHINE_ENV,
    // Only the dispatcher starts deliveries; the webhooks HTTP area gets no SFN permission until a
    // route (e.g. redeliver) needs it.
    starters: ['functions/events/dispatch-webhooks.ts'],
  },
};
