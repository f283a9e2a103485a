/**
 * The local event backbone on its own: the real EventBridgeClient against the local bus, pattern
 * routing end to end, the local Step Functions through the real SFNClient, and the stream poller
 * over DynamoDB Local's real stream records.
 */
import { type AttributeValue, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleDef } from '#events/rules';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#infra/local/dynamodb';
import {
  type BusEvent,
  createTargetInvoker,
  type LocalEventBridge,
  startLocalEventBridge,
} from '#infra/local/eventbridge';
import { startLocalSes } from '#infra/local/ses';
import { type LocalStepFunctions, startLocalStepFunctions } from '#infra/local/stepfunctions';
import { startStreamPoller } from '#infra/local/streams';
import { type TestTable, useTestTable } from './support/local-cloud.ts';

const BUS = 'relay-events-test';

const rulesUnderTest: RuleDef[] = [
  {
    name: 'serious-orders',
    description: 'test: numeric + prefix + nested',
    pattern: {
      source: [{ prefix: 'test.' }],
      'detail-type': ['order.placed'],
      detail: { amount: [{ numeric: ['>=', 100] }], country: [{ 'anything-but': ['US'] }] },
    },
    target: { kind: 'lambda', handler: 'capture' },
  },
  {
    name: 'always-fails',
    description: 'test: a target that never succeeds',
    pattern: { source: ['test.failing'] },
    target: { kind: 'lambda', handler: 'fails' },
  },
  {
    name: 'start-echo',
    description: 'test: a state machine target',
    pattern: { source: ['test.workflow'] },
    target: { kind: 'stateMachine', workflow: 'echo' },
  },
];

const echoDefinition = {
  StartAt: 'Pause',
  States: {
    Pause: { Type: 'Wait', Seconds: 200, Next: 'Echo' },
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, substituted like CDK's definitionSubstitutions
    Echo: { Type: 'Task', Resource: '${EchoFunctionArn}', ResultPath: '$.echo', End: true },
  },
};

let bus: LocalEventBridge;
let sfn: LocalStepFunctions;
let eventBridge: EventBridgeClient;
let sfnClient: SFNClient;
const captured: BusEvent[] = [];
const recordedDeliveries: unknown[] = [];

beforeAll(async () => {
  sfn = await startLocalStepFunctions({
    waitTimeScale: 0.001,
    definitions: { echo: echoDefinition },
    functions: {
      EchoFunctionArn: (input) => ({ seen: input }),
      DeliverWebhookFunctionArn: () => ({ outcome: 'delivered', status: 200 }),
      RecordDeliveryFunctionArn: (input) => {
        recordedDeliveries.push(input);
        return { ok: true };
      },
    },
    logger: { error: () => undefined },
  });
  const invokeDefault = createTargetInvoker({
    startExecution: sfn.startExecution,
    stateMachineArn: sfn.stateMachineArn,
  });
  bus = await startLocalEventBridge({
    busName: BUS,
    rules: rulesUnderTest,
    retry: { attempts: 3, baseDelayMs: 5 },
    logger: { error: () => undefined },
    invoke: async (target, event, rule) => {
      if (rule.name === 'serious-orders') {
        captured.push(event);
        return undefined;
      }
      if (rule.name === 'always-fails') throw new Error('target is down');
      return invokeDefault(target, event, rule);
    },
  });
  const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
  eventBridge = new EventBridgeClient({ ...clientConfig, endpoint: bus.endpoint });
  sfnClient = new SFNClient({ ...clientConfig, endpoint: sfn.endpoint });
});

afterAll(async () => {
  eventBridge?.destroy();
  sfnClient?.destroy();
  await bus?.close();
  await sfn?.close();
});

const entry = (overrides: Record<string, unknown> = {}) => ({
  EventBusName: BUS,
  Source: 'test.shop',
  DetailType: 'order.placed',
  Detail: JSON.stringify({ amount: 150, country: 'FR' }),
  ...overrides,
});

describe('Local EventBridge: PutEvents through the real EventBridgeClient', () => {
  it('accepts valid entries and reports invalid ones per entry', async () => {
    // Act
    const result = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          entry(),
          entry({ Detail: '{not json' }),
          entry({ Detail: '[1,2]' }),
          entry({ EventBusName: 'another-bus' }),
          entry({ Source: undefined }),
          entry({ EventBusName: bus.busArn, Resources: ['arn:aws:relay:::customer/1'] }),
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(4);
    const codes = result.Entries?.map((e) => e.ErrorCode ?? 'ok');
    expect(codes).toEqual([
      'ok',
      'MalformedDetail',
      'MalformedDetail',
      'InvalidArgument',
      'InvalidArgument',
      'ok',
    ]);
    expect(result.Entries?.[4]?.ErrorMessage).toMatch(/Source/);
    const ids = [result.Entries?.[0]?.EventId, result.Entries?.[5]?.EventId];
    const recorded = bus.events().filter((r) => ids.includes(r.event.id));
    expect(recorded).toHaveLength(2);
    expect(recorded[1]?.event).toMatchObject({
      version: '0',
      'detail-type': 'order.placed',
      source: 'test.shop',
      account: '000000000000',
      region: 'us-east-1',
      resources: ['arn:aws:relay:::customer/1'],
      detail: { amount: 150, country: 'FR' },
    });
    expect(recorded[1]?.event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('rejects a request over 256 KB, or with more than 10 entries, as a ValidationException', async () => {
    // Prepare
    const big = entry({ Detail: JSON.stringify({ blob: 'x'.repeat(256 * 1024) }) });

    // Act
    const tooBig = eventBridge.send(new PutEventsCommand({ Entries: [big] }));
    const tooMany = eventBridge.send(
      new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) }),
    );

    // Assess
    await expect(tooBig).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(tooMany).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('routes by pattern: only matching events reach the rule target', async () => {
    // Act
    const result = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          entry({ Detail: JSON.stringify({ amount: 100, country: 'DE', tag: 'match' }) }),
          entry({ Detail: JSON.stringify({ amount: 99.99, country: 'DE', tag: 'too-small' }) }),
          entry({ Detail: JSON.stringify({ amount: 500, country: 'US', tag: 'excluded-country' }) }),
          entry({
            Source: 'other.shop',
            Detail: JSON.stringify({ amount: 500, country: 'FR', tag: 'other-source' }),
          }),
        ],
      }),
    );
    await bus.idle();

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    const tags = captured.map((event) => event.detail.tag).filter(Boolean);
    expect(tags).toEqual(['match']);
    const matched = await bus.waitFor((r) => r.event.detail.tag === 'match');
    expect(matched.matchedRules).toEqual(['serious-orders']);
    expect(matched.deliveries[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
    const unmatched = bus.events().find((r) => r.event.detail.tag === 'too-small');
    expect(unmatched?.matchedRules).toEqual([]);
  });

  it('retries a failing target, then puts the event in the DLQ', async () => {
    // Act
    const result = await eventBridge.send(
      new PutEventsCommand({ Entries: [entry({ Source: 'test.failing', Detail: '{"n":1}' })] }),
    );
    const eventId = result.Entries?.[0]?.EventId;
    const recorded = await bus.waitFor(
      (r) => r.event.id === eventId && r.deliveries.every((d) => d.status === 'failed'),
    );

    // Assess
    expect(recorded.deliveries[0]).toMatchObject({ rule: 'always-fails', attempts: 3 });
    expect(recorded.deliveries[0]?.lastError).toMatch(/target is down/);
    expect(bus.dlq().find((d) => d.event.id === eventId)).toMatchObject({
      rule: 'always-fails',
      attempts: 3,
    });
  });

  it('starts a state machine target with the event as input', async () => {
    // Act
    const result = await eventBridge.send(
      new PutEventsCommand({ Entries: [entry({ Source: 'test.workflow', Detail: '{"k":"v"}' })] }),
    );
    const eventId = result.Entries?.[0]?.EventId;
    const recorded = await bus.waitFor(
      (r) => r.event.id === eventId && r.deliveries[0]?.status === 'succeeded',
    );
    const execution = await sfn.waitForExecution(String(recorded.deliveries[0]?.result));

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}')).toMatchObject({
      id: eventId,
      detail: { k: 'v' },
      echo: { seen: { id: eventId } },
    });
  });
});

describe('Local Step Functions through the real SFNClient', () => {
  const describeUntilDone = async (executionArn: string): Promise<DescribeExecutionCommandOutput> => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const described = await sfnClient.send(new DescribeExecutionCommand({ executionArn }));
      if (described.status !== 'RUNNING' || Date.now() > deadline) return described;
      await new Promise((done) => setTimeout(done, 20));
    }
  };

  it('is idempotent by name while running, and refuses a reused name afterwards', async () => {
    // Prepare
    const stateMachineArn = sfn.stateMachineArn('echo');
    const name = `run-${Date.now()}`;
    const input = JSON.stringify({ order: 1 });

    // Act
    const first = await sfnClient.send(new StartExecutionCommand({ stateMachineArn, name, input }));
    const again = await sfnClient.send(new StartExecutionCommand({ stateMachineArn, name, input }));
    const otherInput = sfnClient.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ order: 2 }) }),
    );
    await expect(otherInput).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    const described = await describeUntilDone(String(first.executionArn));
    const afterwards = sfnClient.send(new StartExecutionCommand({ stateMachineArn, name, input }));

    // Assess
    expect(first.executionArn).toBe(
      `arn:aws:states:us-east-1:000000000000:execution:relay-local-echo:${name}`,
    );
    expect(first.startDate).toBeInstanceOf(Date);
    expect(again.executionArn).toBe(first.executionArn);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '{}')).toEqual({ order: 1, echo: { seen: { order: 1 } } });
    await expect(afterwards).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('answers StateMachineDoesNotExist and ExecutionDoesNotExist', async () => {
    // Act
    const missingMachine = sfnClient.send(
      new StartExecutionCommand({ stateMachineArn: sfn.stateMachineArn('nope') }),
    );
    const missingExecution = sfnClient.send(
      new DescribeExecutionCommand({
        executionArn: 'arn:aws:states:us-east-1:000000000000:execution:relay-local-echo:missing',
      }),
    );

    // Assess
    await expect(missingMachine).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(missingExecution).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('runs the real webhook-delivery workflow with its placeholders mapped to local functions', async () => {
    // Prepare
    const input = { deliveryId: 'd-1', webhookId: 'w-1', event: { id: 'e-1' } };

    // Act
    const started = await sfnClient.send(
      new StartExecutionCommand({
        stateMachineArn: sfn.stateMachineArn('webhook-delivery'),
        input: JSON.stringify(input),
      }),
    );
    const described = await describeUntilDone(String(started.executionArn));

    // Assess
    expect(sfn.workflows()).toContain('webhook-delivery');
    expect(described.status).toBe('SUCCEEDED');
    expect(recordedDeliveries).toContainEqual({ deliveryId: 'd-1', webhookId: 'w-1', status: 'succeeded' });
    const record = sfn.describeExecution(String(started.executionArn));
    expect(record?.history.filter((h) => h.type === 'StateEntered').map((h) => h.state)).toEqual([
      'Deliver',
      'CheckOutcome',
      'RecordSucceeded',
    ]);
  });
});

describe('Stream poller over DynamoDB Local', () => {
  let table: TestTable;

  beforeAll(async () => {
    table = await useTestTable('local-streams');
  });

  const put = (pk: string, extra: Record<string, AttributeValue> = {}) =>
    table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: { pk: { S: pk }, sk: { S: 'ITEM' }, ...extra },
      }),
    );

  const keyOf = (record: DynamoDBRecord): string | undefined => record.dynamodb?.Keys?.pk?.S;

  const waitUntil = async (check: () => boolean, timeoutMs = 5_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((done) => setTimeout(done, 20));
    }
  };

  it('delivers real-shaped DynamoDBStreamEvent batches, starting at LATEST', async () => {
    // Prepare
    await put('before-start');
    const batches: DynamoDBStreamEvent[] = [];
    const poller = await startStreamPoller({
      endpoint: table.endpoint,
      tableName: table.tableName,
      handler: (event) => {
        batches.push(event);
        return { batchItemFailures: [] };
      },
      pollIntervalMs: 50,
    });

    try {
      // Act
      await put('after-start', { name: { S: 'Ada' }, empty: { M: {} }, list: { L: [{ M: {} }] } });
      await waitUntil(() => batches.flatMap((b) => b.Records).some((r) => keyOf(r) === 'after-start'));

      // Assess
      const records = batches.flatMap((b) => b.Records);
      expect(records.map(keyOf)).not.toContain('before-start');
      const record = records.find((r) => keyOf(r) === 'after-start');
      expect(record).toMatchObject({
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        eventSourceARN: poller.streamArn,
        dynamodb: {
          Keys: { pk: { S: 'after-start' }, sk: { S: 'ITEM' } },
          NewImage: {
            pk: { S: 'after-start' },
            sk: { S: 'ITEM' },
            name: { S: 'Ada' },
            // DynamoDB Local sends `{}` for an empty map; the poller restores `{ M: {} }` like DynamoDB.
            empty: { M: {} },
            list: { L: [{ M: {} }] },
          },
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      });
      expect(record?.dynamodb?.SequenceNumber).toMatch(/^\d+$/);
      expect(record?.dynamodb?.SizeBytes).toBeGreaterThan(0);
      expect(typeof record?.dynamodb?.ApproximateCreationDateTime).toBe('number');
      expect(poller.streamArn).toMatch(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/.+\/stream\//);
    } finally {
      await poller.stop();
    }
  });

  it('retries from the first reported batch item failure, then skips a poison record after bounded retries', async () => {
    // Prepare
    const seen: string[] = [];
    let failedOnce = false;
    const poller = await startStreamPoller({
      endpoint: table.endpoint,
      tableName: table.tableName,
      pollIntervalMs: 50,
      maxRetries: 2,
      logger: { error: () => undefined },
      handler: (event) => {
        const failures: Array<{ itemIdentifier: string }> = [];
        for (const record of event.Records) {
          const key = keyOf(record) ?? '';
          seen.push(key);
          const fails = key === 'poison' || (key === 'flaky' && !failedOnce);
          if (fails && failures.length === 0) {
            failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
            if (key === 'flaky') failedOnce = true;
          }
        }
        return { batchItemFailures: failures };
      },
    });

    try {
      // Act
      await put('first');
      await put('flaky');
      await waitUntil(() => seen.filter((k) => k === 'flaky').length >= 2);
      await put('poison');
      await put('after-poison');
      await waitUntil(() => seen.includes('after-poison') && poller.skipped().length > 0);

      // Assess
      expect(seen.filter((k) => k === 'first')).toHaveLength(1);
      expect(seen.filter((k) => k === 'flaky')).toHaveLength(2);
      expect(seen.filter((k) => k === 'poison')).toHaveLength(3);
      expect(poller.skipped()).toHaveLength(1);
      expect(poller.batches().some((b) => b.outcome !== 'succeeded')).toBe(true);
    } finally {
      await poller.stop();
    }
  });
});

describe('Local SES v2', () => {
  it('accepts SendEmail from the real SESv2Client through AWS_ENDPOINT_URL_SESV2 and shows it in the store', async () => {
    // Prepare
    const previous = process.env.AWS_ENDPOINT_URL_SESV2;
    const ses = await startLocalSes();
    const client = new SESv2Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

    try {
      // Act
      const sent = await client.send(
        new SendEmailCommand({
          FromEmailAddress: 'hello@example.com',
          Destination: { ToAddresses: ['ada@example.org'] },
          Content: { Simple: { Subject: { Data: 'Welcome' }, Body: { Text: { Data: 'Hi Ada' } } } },
        }),
      );
      const store = await ses.store();

      // Assess
      expect(process.env.AWS_ENDPOINT_URL_SESV2).toBe(ses.endpoint);
      expect(sent.MessageId).toBeTruthy();
      expect(JSON.stringify(store.emails)).toContain('Welcome');
      expect((await fetch(ses.viewerUrl)).status).toBe(200);
    } finally {
      client.destroy();
      await ses.stop();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_SESV2;
      else process.env.AWS_ENDPOINT_URL_SESV2 = previous;
    }
  });
});
