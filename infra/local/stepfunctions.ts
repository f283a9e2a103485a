/**
 * Local Step Functions: runs `infra/workflows/<name>.asl.json` — the same files CDK deploys — with
 * `aws-local-stepfunctions`, behind an AWS JSON 1.0 endpoint (`StartExecution`,
 * `DescribeExecution`, `StopExecution`, `ListStateMachines`) so the real `SFNClient` works through
 * `AWS_ENDPOINT_URL_SFN`.
 *
 * Placeholders in the ASL are substituted like the CDK does with `definitionSubstitutions`:
 * - `${DeliverWebhookFunctionArn}` → a local Lambda ARN for the handler file
 *   `functions/workflows/<workflow>/deliver-webhook.ts` (the placeholder minus `FunctionArn`,
 *   kebab-cased), exporting `handler(input)`;
 * - `${TableName}` → `TABLE_NAME`, `${EventBusName}` → `EVENT_BUS_NAME` (or the given names).
 * Every Task state runs locally (`overrides.taskResourceLocalHandlers`): a mapped Lambda ARN (as
 * `Resource`, or as `FunctionName` of `arn:aws:states:::lambda:invoke`, whose result is wrapped in
 * `{ Payload, StatusCode }`) calls the handler file; any other resource fails the task with
 * `Local.UnsupportedResource` — nothing ever reaches AWS.
 *
 * `waitTimeScale` (e.g. 0.001 in tests) scales every `Wait` state with `Seconds` (waits given by
 * `SecondsPath`/`Timestamp`/`TimestampPath` become 0 when scaled) and every `Retry` interval
 * (backoff is not applied when scaled).
 *
 * StartExecution is idempotent like STANDARD workflows: the same name and input while the
 * execution is RUNNING returns the same execution; a different input, or the same name after the
 * execution closed, is `ExecutionAlreadyExists`.
 */

import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionAbortedError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { resolvePlaceholder } from '#infra/config/workflows';
import { AwsJsonError, epochSeconds, startAwsJsonServer } from '#infra/local/aws-json';
import { repoRoot } from '#infra/local/dev-secrets';
import {
  describeError,
  invokeHandlerFile,
  LOCAL_ACCOUNT,
  LOCAL_AWS_REGION,
  type LocalHandler,
  lambdaArnFor,
  lambdaContext,
} from '#infra/local/lambda';

export const STATE_MACHINE_PREFIX = 'relay-local-';
export const MAX_EXECUTION_INPUT_BYTES = 256 * 1024;

export const stateMachineArnFor = (workflow: string): string =>
  `arn:aws:states:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT}:stateMachine:${STATE_MACHINE_PREFIX}${workflow}`;

export const executionArnFor = (workflow: string, name: string): string =>
  `arn:aws:states:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT}:execution:${STATE_MACHINE_PREFIX}${workflow}:${name}`;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  workflow: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
  /** State transitions, e.g. `StateEntered Deliver`, capped at 200. */
  history: Array<{ at: number; type: string; state?: string }>;
}

interface LoadedWorkflow {
  name: string;
  definition: StateMachineDefinition;
  handlers: Record<string, (input: unknown) => Promise<unknown>>;
  waitTimeOverrides?: Record<string, number>;
  retryIntervalOverrides?: Record<string, number[]>;
  /** Placeholder → handler file, for the page and error messages. */
  functions: Record<string, string>;
}

export interface LocalStepFunctionsOptions {
  port?: number;
  host?: string;
  /** Directory of `<name>.asl.json` files (default `infra/workflows`). */
  workflowsDir?: string;
  /** Inline definitions (tests); they win over files with the same name. */
  definitions?: Record<string, unknown>;
  /** Multiplies Wait and Retry durations (default 1; tests use e.g. 0.001). */
  waitTimeScale?: number;
  /** Values for non-function placeholders (default `TableName` = TABLE_NAME, `EventBusName` = EVENT_BUS_NAME). */
  substitutions?: Record<string, string>;
  /** Replace the handler behind a `${XxxFunctionArn}` placeholder (tests): a file or a function. */
  functions?: Record<string, string | ((input: unknown) => unknown)>;
  /** Executions kept for the page and DescribeExecution (default 200). */
  historyLimit?: number;
  logger?: { error(message: string): void };
}

export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  input?: string;
}

export interface LocalStepFunctions {
  /** `http://127.0.0.1:<port>`; use as `AWS_ENDPOINT_URL_SFN`. */
  endpoint: string;
  port: number;
  /** Workflow names found (files + inline definitions). */
  workflows(): string[];
  stateMachineArn(workflow: string): string;
  startExecution(input: StartExecutionInput): { executionArn: string; startDate: Date };
  describeExecution(executionArn: string): ExecutionRecord | undefined;
  /** Newest first. */
  executions(): ExecutionRecord[];
  /** Resolves with the execution once it is no longer RUNNING. */
  waitForExecution(executionArn: string, timeoutMs?: number): Promise<ExecutionRecord>;
  close(): Promise<void>;
}

type AslState = Record<string, unknown> & { Type?: string };

/** Every state of a definition, including those inside Map and Parallel states. */
const allStates = (definition: { States?: Record<string, AslState> }): Array<[string, AslState]> => {
  const out: Array<[string, AslState]> = [];
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    out.push([name, state]);
    const processor = (state.ItemProcessor ?? state.Iterator) as
      | { States?: Record<string, AslState> }
      | undefined;
    if (processor) out.push(...allStates(processor));
    for (const branch of (state.Branches ?? []) as Array<{ States?: Record<string, AslState> }>) {
      out.push(...allStates(branch));
    }
  }
  return out;
};

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

const isNameChar = (name: string): boolean =>
  name.length >= 1 &&
  name.length <= 80 &&
  !/[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(name) &&
  ![...name].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });

export const startLocalStepFunctions = async (
  options: LocalStepFunctionsOptions = {},
): Promise<LocalStepFunctions> => {
  const workflowsDir = options.workflowsDir ?? join(repoRoot, 'infra', 'workflows');
  const scale = options.waitTimeScale ?? 1;
  const historyLimit = options.historyLimit ?? 200;
  const logger = options.logger ?? { error: (m: string) => console.error(m) };
  const executions = new Map<string, ExecutionRecord>();
  const running = new Map<string, { abort: () => void }>();
  const waiters = new Set<() => void>();

  /** Placeholders resolve by the one convention CDK uses (`infra/config/workflows.ts`). */
  const substitutionFor = (workflow: string, placeholder: string, functions: Record<string, string>) => {
    const given = options.substitutions?.[placeholder];
    if (given !== undefined) return given;
    const resolved = resolvePlaceholder(workflow, placeholder);
    switch (resolved.kind) {
      case 'function': {
        functions[placeholder] = resolved.entry;
        const task = resolved.entry.slice(resolved.entry.lastIndexOf('/') + 1, -'.ts'.length);
        return lambdaArnFor(`${STATE_MACHINE_PREFIX}${workflow}-${task}`.slice(0, 64));
      }
      case 'tableName':
        return process.env.TABLE_NAME ?? 'relay-local';
      case 'eventBusName':
        return process.env.EVENT_BUS_NAME ?? 'relay-local';
    }
  };

  const callFunction = (placeholder: string, file: string) => {
    const override = options.functions?.[placeholder];
    return async (input: unknown): Promise<unknown> => {
      if (typeof override === 'function') return override(input);
      const target = typeof override === 'string' ? override : file;
      return invokeHandlerFile(target, input);
    };
  };

  const load = (name: string): LoadedWorkflow => {
    const inline = options.definitions?.[name];
    const file = join(workflowsDir, `${name}.asl.json`);
    const text = inline !== undefined ? JSON.stringify(inline) : readFileSync(file, 'utf8');
    const functions: Record<string, string> = {};
    const substituted = text.replace(PLACEHOLDER, (_all, placeholder: string) =>
      substitutionFor(name, placeholder, functions),
    );
    const definition = JSON.parse(substituted) as StateMachineDefinition;
    const byArn = new Map<string, (input: unknown) => Promise<unknown>>();
    for (const [placeholder, handlerFile] of Object.entries(functions)) {
      byArn.set(substitutionFor(name, placeholder, {}), callFunction(placeholder, handlerFile));
    }
    const handlers: LoadedWorkflow['handlers'] = {};
    const waits: Record<string, number> = {};
    const retries: Record<string, number[]> = {};
    for (const [stateName, state] of allStates(
      definition as unknown as { States: Record<string, AslState> },
    )) {
      if (state.Type === 'Task') {
        const resource = String(state.Resource ?? '');
        const direct = byArn.get(resource);
        if (direct) {
          handlers[stateName] = direct;
        } else if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
          const parameters = (state.Parameters ?? {}) as Record<string, unknown>;
          const target = byArn.get(String(parameters.FunctionName ?? ''));
          handlers[stateName] = async (input) => {
            if (!target) {
              throw Object.assign(new Error(`${stateName}: FunctionName is not a local function`), {
                name: 'Lambda.ResourceNotFoundException',
              });
            }
            const payload = (input as { Payload?: unknown } | null)?.Payload ?? {};
            return { ExecutedVersion: '$LATEST', Payload: await target(payload), StatusCode: 200 };
          };
        } else {
          handlers[stateName] = async () => {
            throw Object.assign(new Error(`${stateName}: resource ${resource} is not emulated locally`), {
              name: 'Local.UnsupportedResource',
            });
          };
        }
      }
      if (scale !== 1 && state.Type === 'Wait') {
        waits[stateName] = typeof state.Seconds === 'number' ? Math.round(state.Seconds * 1000 * scale) : 0;
      }
      if (scale !== 1 && Array.isArray(state.Retry)) {
        retries[stateName] = (state.Retry as Array<{ IntervalSeconds?: number }>).map((retrier) =>
          Math.round((retrier.IntervalSeconds ?? 1) * 1000 * scale),
        );
      }
    }
    return {
      name,
      definition,
      handlers,
      functions,
      ...(scale !== 1 ? { waitTimeOverrides: waits, retryIntervalOverrides: retries } : {}),
    };
  };

  const workflows = (): string[] => {
    const names = new Set(Object.keys(options.definitions ?? {}));
    if (existsSync(workflowsDir)) {
      for (const file of readdirSync(workflowsDir)) {
        if (file.endsWith('.asl.json')) names.add(file.slice(0, -'.asl.json'.length));
      }
    }
    return [...names].sort();
  };

  const workflowOf = (stateMachineArn: string): string => {
    const prefix = stateMachineArnFor('');
    if (!stateMachineArn.startsWith('arn:aws:states:')) {
      throw new AwsJsonError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    }
    const workflow = stateMachineArn.startsWith(prefix) ? stateMachineArn.slice(prefix.length) : '';
    if (!workflow || !workflows().includes(workflow)) {
      throw new AwsJsonError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    return workflow;
  };

  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };

  const remember = (record: ExecutionRecord): void => {
    executions.set(record.executionArn, record);
    while (executions.size > historyLimit) {
      const oldest = [...executions.values()].find((candidate) => candidate.status !== 'RUNNING');
      if (!oldest) break;
      executions.delete(oldest.executionArn);
    }
  };

  const run = (workflow: LoadedWorkflow, record: ExecutionRecord, input: unknown): void => {
    const machine = new StateMachine(workflow.definition, {
      validationOptions: { checkArn: false },
      awsConfig: {
        region: LOCAL_AWS_REGION,
        credentials: { accessKeys: { accessKeyId: 'local', secretAccessKey: 'local' } },
      },
    });
    const execution = machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: workflow.handlers as Record<string, (input: unknown) => Promise<never>>,
        ...(workflow.waitTimeOverrides ? { waitTimeOverrides: workflow.waitTimeOverrides } : {}),
        ...(workflow.retryIntervalOverrides
          ? { retryIntervalOverrides: workflow.retryIntervalOverrides }
          : {}),
      },
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          Input: input as never,
          StartTime: record.startDate.toISOString(),
          RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${STATE_MACHINE_PREFIX}${workflow.name}`,
        },
        StateMachine: { Id: record.stateMachineArn, Name: `${STATE_MACHINE_PREFIX}${workflow.name}` },
      },
    });
    running.set(record.executionArn, execution);
    void (async () => {
      try {
        for await (const event of execution.eventLogs) {
          if (record.history.length >= 200) continue;
          const state = 'state' in event ? event.state.name : undefined;
          record.history.push({ at: event.timestamp, type: event.type, ...(state ? { state } : {}) });
        }
      } catch {
        // the log ends with the execution
      }
    })();
    execution.result
      .then(
        (output) => {
          record.status = 'SUCCEEDED';
          record.output = JSON.stringify(output ?? null);
        },
        (error: unknown) => {
          if (error instanceof ExecutionAbortedError) {
            record.status = 'ABORTED';
            return;
          }
          const cause = (error as { cause?: { name?: string; message?: string } }).cause;
          record.status = (error as Error).name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
          record.error = cause?.name ?? (error as Error).name;
          record.cause = cause?.message ?? (error as Error).message;
          logger.error(
            `[relay-local] execution ${record.name} of ${workflow.name} failed: ${describeError(cause ?? error)}`,
          );
        },
      )
      .finally(() => {
        record.stopDate = new Date();
        running.delete(record.executionArn);
        notify();
      });
  };

  const startExecution = (request: StartExecutionInput): { executionArn: string; startDate: Date } => {
    const workflowName = workflowOf(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!isNameChar(name)) throw new AwsJsonError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = request.input ?? '{}';
    if (Buffer.byteLength(inputText) > MAX_EXECUTION_INPUT_BYTES) {
      throw new AwsJsonError('InvalidExecutionInput', 'Execution input is larger than 262144 bytes');
    }
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch {
      throw new AwsJsonError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${inputText.slice(0, 100)}'`,
      );
    }
    const executionArn = executionArnFor(workflowName, name);
    const existing = executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new AwsJsonError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    let workflow: LoadedWorkflow;
    try {
      workflow = load(workflowName);
    } catch (error) {
      throw new AwsJsonError('InvalidDefinition', `${workflowName}: ${describeError(error)}`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: stateMachineArnFor(workflowName),
      workflow: workflowName,
      name,
      status: 'RUNNING',
      input: inputText,
      startDate: new Date(),
      history: [],
    };
    remember(record);
    run(workflow, record, input);
    return { executionArn, startDate: record.startDate };
  };

  const describeWire = (record: ExecutionRecord) => ({
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
    input: record.input,
    inputDetails: { included: true },
    ...(record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
  });

  const recordOf = (executionArn: unknown): ExecutionRecord => {
    if (typeof executionArn !== 'string' || !executionArn.startsWith('arn:aws:states:')) {
      throw new AwsJsonError('InvalidArn', `Invalid Arn: '${String(executionArn)}'`);
    }
    const record = executions.get(executionArn);
    if (!record)
      throw new AwsJsonError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  };

  const server = await startAwsJsonServer({
    port: options.port,
    host: options.host,
    protocol: '1.0',
    targetPrefix: 'AWSStepFunctions',
    operations: {
      StartExecution: (body) => {
        if (typeof body.stateMachineArn !== 'string') {
          throw new AwsJsonError('ValidationException', 'stateMachineArn is required');
        }
        const started = startExecution({
          stateMachineArn: body.stateMachineArn,
          ...(typeof body.name === 'string' ? { name: body.name } : {}),
          ...(typeof body.input === 'string' ? { input: body.input } : {}),
        });
        return { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) };
      },
      DescribeExecution: (body) => describeWire(recordOf(body.executionArn)),
      StopExecution: (body) => {
        const record = recordOf(body.executionArn);
        running.get(record.executionArn)?.abort();
        return { stopDate: epochSeconds(new Date()) };
      },
      ListStateMachines: () => ({
        stateMachines: workflows().map((workflow) => ({
          stateMachineArn: stateMachineArnFor(workflow),
          name: `${STATE_MACHINE_PREFIX}${workflow}`,
          type: 'STANDARD',
          creationDate: 0,
        })),
      }),
    },
  });

  return {
    endpoint: server.url,
    port: server.port,
    workflows,
    stateMachineArn: stateMachineArnFor,
    startExecution,
    describeExecution: (executionArn) => executions.get(executionArn),
    executions: () => [...executions.values()].reverse(),
    waitForExecution: (executionArn, timeoutMs = 5_000) =>
      new Promise((done, fail) => {
        const check = (): boolean => {
          const record = executions.get(executionArn);
          if (record && record.status !== 'RUNNING') {
            cleanup();
            done(record);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          cleanup();
          fail(new Error(`execution ${executionArn} still running after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        const waiter = (): void => void check();
        waiters.add(waiter);
        check();
      }),
    close: async () => {
      for (const execution of running.values()) execution.abort();
      await server.close();
    },
  };
};

export type { LocalHandler };
export { lambdaContext };
