import { afterEach, describe, expect, it } from 'vitest';
import type { RuleDef } from '#events/rules';
import { rules } from '#events/rules';
import { appFunctionDefs, functionSettings } from '#infra/config/functions';
import { stageConfig } from '#infra/config/stages';
import { inFunctionEnv, runWithFunctionEnv } from '#infra/local/function-env';
import { localFunction, localFunctions } from '#infra/local/functions';
import {
  invokeAsFunction,
  invokeHandlerFile,
  LambdaTimeoutError,
  type LocalFunction,
  useLocalFunctions,
} from '#infra/local/lambda';
import { localStageConfig } from '#infra/local/stage';
import { requireConfig, resetConfig } from '#shared/config';
import { localRefs } from '#test/support/local-refs';

/**
 * The local cloud runs each function as CDK defines it: the timeout, memory and environment of
 * `functionSettings` for the local stage (dev's), in its own `process.env`.
 */

const refs = localRefs;

const slowRule: RuleDef = {
  name: 'slow-test-consumer',
  description: 'a consumer that takes 300 ms',
  pattern: { source: ['relay.test'] },
  target: { kind: 'lambda', handler: 'test/fixtures/local/slow-handler.ts', timeoutSeconds: 2 },
};

const build = (timeScale = 1) =>
  localFunctions({ stage: localStageConfig(), refs, rules: [...rules, slowRule], timeScale });

const byEntry = (functions: LocalFunction[], entry: string): LocalFunction => {
  const found = functions.find((fn) => fn.entry === entry);
  if (!found) throw new Error(`no local function ${entry}`);
  return found;
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

afterEach(() => {
  useLocalFunctions([]);
});

describe('Module: local functions (settings from infra/config/functions.ts)', () => {
  it('has one local function per function CDK builds, with the CDK timeout and memory of dev', () => {
    // Prepare
    const stage = stageConfig('dev');

    // Act
    const functions = build();

    // Assess
    const defs = appFunctionDefs([...rules, slowRule]);
    expect(functions).toHaveLength(defs.length);
    for (const def of defs) {
      const settings = functionSettings(stage, def);
      const fn = byEntry(functions, settings.entry);
      expect(fn.timeoutSeconds, settings.entry).toBe(settings.timeoutSeconds);
      expect(fn.timeoutMs, settings.entry).toBe(settings.timeoutSeconds * 1000);
      expect(fn.memoryMB, settings.entry).toBe(settings.memoryMB);
      expect(fn.environment.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe(String(settings.memoryMB));
    }
    expect(byEntry(functions, 'functions/auth/pre-token-generation.ts').memoryMB).toBe(256);
  });

  it('gives two functions the different environments their settings declare', () => {
    // Act
    const functions = build();
    const customers = byEntry(functions, 'functions/http/customers/index.ts').environment;
    const webhooks = byEntry(functions, 'functions/http/webhooks/index.ts').environment;
    const dispatcher = byEntry(functions, 'functions/events/dispatch-webhooks.ts').environment;
    const system = byEntry(functions, 'functions/http/system/index.ts').environment;

    // Assess
    expect(webhooks.WEBHOOK_SECRET_KEY_ID).toBe(refs.webhookSecretKeyArn);
    expect(customers.WEBHOOK_SECRET_KEY_ID).toBeUndefined();
    expect(customers.CURSOR_KEYS_SECRET_ID).toBe(refs.cursorKeysSecretArn);
    expect(system.CURSOR_KEYS_SECRET_ID).toBeUndefined();
    expect(system.TABLE_NAME).toBeUndefined();
    expect(dispatcher.WEBHOOK_STATE_MACHINE_ARN).toBe(refs.stateMachineArn('webhook-delivery'));
    expect(dispatcher.EVENT_BUS_NAME).toBe(refs.eventBusName);
    expect(customers.EVENT_BUS_NAME).toBeUndefined();
    expect(customers.AWS_LAMBDA_FUNCTION_NAME).not.toBe(webhooks.AWS_LAMBDA_FUNCTION_NAME);
  });

  it('runs a handler in its function environment only, across awaits and alongside another', async () => {
    // Prepare: a variable set globally (as npm start sets its own) is not the function's
    const functions = build();
    const customers = byEntry(functions, 'functions/http/customers/index.ts');
    const webhooks = byEntry(functions, 'functions/http/webhooks/index.ts');
    process.env.RELAY_TEST_GLOBAL_ONLY = 'global';
    const readEnv = async () => {
      await sleep(5);
      return {
        key: process.env.WEBHOOK_SECRET_KEY_ID,
        global: process.env.RELAY_TEST_GLOBAL_ONLY,
        name: process.env.AWS_LAMBDA_FUNCTION_NAME,
        keys: Object.keys(process.env).sort(),
      };
    };

    // Act: both at once
    const [a, b] = await Promise.all([
      invokeAsFunction(customers, async () => readEnv, {}),
      invokeAsFunction(webhooks, async () => readEnv, {}),
    ]);

    // Assess
    expect(a).toEqual({
      key: undefined,
      global: undefined,
      name: customers.name,
      keys: Object.keys(customers.environment).sort(),
    });
    expect(b).toMatchObject({ key: refs.webhookSecretKeyArn, global: undefined, name: webhooks.name });
    expect(process.env.RELAY_TEST_GLOBAL_ONLY).toBe('global');
    expect(inFunctionEnv()).toBe(false);
    delete process.env.RELAY_TEST_GLOBAL_ONLY;
  });

  it('keeps writes to process.env inside the invocation', async () => {
    // Act
    await runWithFunctionEnv({ A: '1' }, async () => {
      process.env.WRITTEN_INSIDE = 'yes';
      await sleep(1);
      expect(process.env.WRITTEN_INSIDE).toBe('yes');
    });

    // Assess
    expect(process.env.WRITTEN_INSIDE).toBeUndefined();
  });

  it("memoises configuration per function: one function never reads another one's cached config", async () => {
    // Prepare: two functions whose STAGE differs, and a process-level cache entry
    resetConfig();
    const [a, b] = build().slice(0, 2) as [LocalFunction, LocalFunction];
    const withStage = (fn: LocalFunction, stage: string): LocalFunction => ({
      ...fn,
      environment: { ...fn.environment, STAGE: stage },
    });
    const readStage = async () => requireConfig(['stage']).stage;
    const outside = requireConfig(['stage']).stage;

    // Act
    const first = await invokeAsFunction(withStage(a, 'stage-a'), async () => readStage, {});
    const second = await invokeAsFunction(withStage(b, 'stage-b'), async () => readStage, {});
    const again = await invokeAsFunction(withStage(a, 'changed'), async () => readStage, {});

    // Assess: per container, once (a warm container keeps what it read)
    expect([first, second, again]).toEqual(['stage-a', 'stage-b', 'stage-a']);
    expect(requireConfig(['stage']).stage).toBe(outside);
    resetConfig();
  });

  it('gives the handler a context with its name, memory, request id and remaining time', async () => {
    // Prepare
    const fn = byEntry(build(), 'functions/auth/pre-token-generation.ts');

    // Act
    const context = (await invokeAsFunction(fn, async () => (_event: unknown, ctx: unknown) => ctx, {})) as {
      functionName: string;
      memoryLimitInMB: string;
      awsRequestId: string;
      getRemainingTimeInMillis(): number;
    };

    // Assess
    expect(context.functionName).toBe(fn.name);
    expect(context.memoryLimitInMB).toBe('256');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(5_000);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(4_000);
  });

  it('fails a handler that runs past its CDK timeout (scaled) as Lambda does', async () => {
    // Prepare: the customers area's dev timeout (10 s), scaled to 10 ms
    const scale = 0.001;
    const fn = byEntry(build(scale), 'functions/http/customers/index.ts');
    const cdkTimeout = functionSettings(stageConfig('dev'), {
      kind: 'area',
      area: 'customers',
    }).timeoutSeconds;
    expect(fn.timeoutMs).toBe(cdkTimeout * 1000 * scale);
    let finished = false;
    const slow = async () => {
      await sleep(fn.timeoutMs + 100);
      finished = true;
      return 'too late';
    };

    // Act
    const startedAt = Date.now();
    const outcome = invokeAsFunction(fn, async () => slow, {});

    // Assess
    await expect(outcome).rejects.toThrow(LambdaTimeoutError);
    await expect(outcome).rejects.toThrow(`Task timed out after ${cdkTimeout.toFixed(2)} seconds`);
    expect(Date.now() - startedAt).toBeLessThan(fn.timeoutMs + 90);
    expect(finished).toBe(false);
  });

  it('runs a registered handler file as its function: a consumer past its rule timeout fails', async () => {
    // Prepare: the slow consumer's rule says 2 s; scaled by 0.01 that is 20 ms, below its 300 ms
    useLocalFunctions(build(0.01));

    // Act
    const outcome = invokeHandlerFile(slowRule.target.kind === 'lambda' ? slowRule.target.handler : '', {});

    // Assess
    await expect(outcome).rejects.toThrow('Task timed out after 2.00 seconds');
  });

  it('runs a registered handler file in its environment when it finishes in time', async () => {
    // Prepare
    useLocalFunctions(build(1));

    // Act
    const result = await invokeHandlerFile('test/fixtures/local/slow-handler.ts', {});

    // Assess: the consumer's STAGE is dev's; it has no webhook key
    expect(result).toEqual({ stage: 'dev', secretKey: undefined });
  });

  it('applies overrides on top of the settings (a documented local difference)', () => {
    // Act
    const fn = localFunction(
      { kind: 'area', area: 'system' },
      { stage: localStageConfig(), refs, rules, overrides: { STAGE: 'local' } },
    );

    // Assess
    expect(fn.environment.STAGE).toBe('local');
  });
});
