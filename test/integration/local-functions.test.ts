import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RuleDef, rules } from '#events/rules';
import { functionSettings } from '#infra/config/functions';
import { startLocalEventBridge } from '#infra/local/eventbridge';
import { localFunctions } from '#infra/local/functions';
import type { AreaHandler } from '#infra/local/http';
import { useLocalFunctions } from '#infra/local/lambda';
import { localStageConfig } from '#infra/local/stage';
import { startTestApi, type TestApi, useTestTable } from '#test/integration/support/local-cloud';

/**
 * The local gateway and bus run each function as CDK defines it (timeout, environment), with
 * timeouts scaled through the same settings, and fail as AWS does when one runs too long.
 */

const refs = {
  tableName: 'relay-test-local-functions',
  eventBusName: 'relay-test',
  cursorKeysSecretArn:
    'arn:aws:secretsmanager:eu-central-1:000000000000:secret:relay-local/cursor-keys-AbCdEf',
  webhookSecretKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/local-functions',
  stateMachineArn: (workflow: string) =>
    `arn:aws:states:us-east-1:000000000000:stateMachine:relay-test-${workflow}`,
};

const slowRule: RuleDef = {
  name: 'slow-test-consumer',
  description: 'a consumer that takes 300 ms',
  pattern: { source: ['relay.test'] },
  target: { kind: 'lambda', handler: 'test/fixtures/local/slow-handler.ts', timeoutSeconds: 2 },
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('Module: local gateway running the area functions as CDK defines them', () => {
  // 10 s (dev's area timeout) × 0.005 = 50 ms
  const scale = 0.005;
  const areaTimeoutMs =
    functionSettings(localStageConfig(), { kind: 'area', area: 'customers' }).timeoutSeconds * 1000 * scale;
  const errors: string[] = [];
  let api: TestApi;

  const slow: AreaHandler = async () => {
    await sleep(areaTimeoutMs + 250);
    return { statusCode: 200, body: '{"late":true}' };
  };
  const env: AreaHandler = async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      secretKey: process.env.WEBHOOK_SECRET_KEY_ID ?? null,
      cursorKeysSecretArn: process.env.CURSOR_KEYS_SECRET_ID === refs.cursorKeysSecretArn,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    }),
  });

  beforeAll(async () => {
    await useTestTable('local-functions');
    useLocalFunctions(localFunctions({ stage: localStageConfig(), refs, rules, timeScale: scale }));
    api = await startTestApi({
      handlers: { customers: slow, companies: env, webhooks: env },
      logger: { info: () => undefined, error: (line) => errors.push(line) },
    });
  });

  afterAll(async () => {
    useLocalFunctions([]);
    await api?.close();
  });

  it('answers 500 when the area function runs past its (scaled) CDK timeout, like a Lambda timeout behind an HTTP API', async () => {
    // Prepare
    const token = await api.token('sales');

    // Act
    const startedAt = Date.now();
    const response = await fetch(`${api.url}/customers`, { headers: { authorization: `Bearer ${token}` } });
    const elapsed = Date.now() - startedAt;

    // Assess
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(elapsed).toBeLessThan(areaTimeoutMs + 200);
    expect(errors.some((line) => line.includes('Task timed out after 10.00 seconds'))).toBe(true);
  });

  it('gives each area function its own environment, as in the synthesized template', async () => {
    // Prepare
    const token = await api.token('admin');
    const headers = { authorization: `Bearer ${token}` };

    // Act
    const companies = (await (await fetch(`${api.url}/companies`, { headers })).json()) as Record<
      string,
      unknown
    >;
    const webhooks = (await (await fetch(`${api.url}/webhooks`, { headers })).json()) as Record<
      string,
      unknown
    >;

    // Assess: only the webhooks area has the secrets key (it seals signing secrets)
    expect(webhooks.secretKey).toBe(refs.webhookSecretKeyArn);
    expect(companies.secretKey).toBeNull();
    expect(companies.cursorKeysSecretArn).toBe(true);
    expect(companies.functionName).not.toBe(webhooks.functionName);
  });
});

describe('Module: local bus running a consumer as CDK defines it', () => {
  afterEach(() => {
    useLocalFunctions([]);
  });

  it('counts a consumer past its (scaled) rule timeout as a failed invocation, retries it, then dead-letters it', async () => {
    // Prepare: 2 s × 0.01 = 20 ms, below the handler's 300 ms
    useLocalFunctions(
      localFunctions({ stage: localStageConfig(), refs, rules: [...rules, slowRule], timeScale: 0.01 }),
    );
    const bus = await startLocalEventBridge({
      port: 0,
      busName: 'relay-test',
      rules: [slowRule],
      retry: { attempts: 3, baseDelayMs: 1 },
      logger: { error: () => undefined },
    });

    try {
      // Act
      bus.putEvents([
        { EventBusName: 'relay-test', Source: 'relay.test', DetailType: 'Tested', Detail: '{}' },
      ]);
      await bus.idle(5_000);

      // Assess
      const [dead] = bus.dlq();
      expect(bus.dlq()).toHaveLength(1);
      expect(dead?.attempts).toBe(3);
      expect(dead?.error).toContain('Task timed out after 2.00 seconds');
    } finally {
      await bus.close();
    }
  });

  it('delivers when the consumer finishes within its timeout', async () => {
    // Prepare: unscaled, 2 s
    useLocalFunctions(localFunctions({ stage: localStageConfig(), refs, rules: [...rules, slowRule] }));
    const bus = await startLocalEventBridge({
      port: 0,
      busName: 'relay-test',
      rules: [slowRule],
      retry: { attempts: 1, baseDelayMs: 1 },
      logger: { error: () => undefined },
    });

    try {
      // Act
      bus.putEvents([
        { EventBusName: 'relay-test', Source: 'relay.test', DetailType: 'Tested', Detail: '{}' },
      ]);
      await bus.idle(5_000);

      // Assess
      expect(bus.dlq()).toEqual([]);
    } finally {
      await bus.close();
    }
  });
});
