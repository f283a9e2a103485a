/**
 * Acceptance of issue 4 on DynamoDB Local, with the delivery workflow run by aws-local-stepfunctions
 * from the same ASL file CDK deploys, and receivers on 127.0.0.1 (stage `local`):
 *
 * - a receiver gets signed deliveries that verify;
 * - a receiver that fails twice then succeeds gets the event on the third attempt;
 * - a receiver that always fails ends dead-lettered (listed with `?status=dead_lettered`).
 *
 * The path is the production one: EventBridge event → `functions/events/dispatch-webhooks.ts`
 * (consumeEvent, dedupe) → StartExecution (the SFN client is intercepted and runs the state
 * machine locally, Retry intervals scaled to milliseconds) → the task handlers in
 * `functions/workflows/webhook-delivery/`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { EventBridgeEvent } from 'aws-lambda';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as dispatch } from '#functions/events/dispatch-webhooks';
import { handler as deliver } from '#functions/workflows/webhook-delivery/deliver-webhook';
import { handler as record } from '#functions/workflows/webhook-delivery/record-delivery';
import { resetConfig } from '#shared/config';
import { resetDeps } from '#shared/deps';
import { SIGNATURE_HEADER, verifySignature } from '#shared/domain/webhooks/signing';
import { resetConsumerDeps } from '#shared/events/consumer';
import { type Received, receiverPool } from '../support/webhook-receiver.ts';
import { apiClient } from './support/api-client.ts';
import { startTestApi, type TestApi, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:relay-local-webhook-delivery';
const aslPath = fileURLToPath(new URL('../../infra/workflows/webhook-delivery.asl.json', import.meta.url));
const asl = JSON.parse(
  readFileSync(aslPath, 'utf8').replace(
    /\$\{(\w+)FunctionArn\}/g,
    (_m, name: string) => `arn:aws:lambda:us-east-1:000000000000:function:relay-local-${name}`,
  ),
) as StateMachineDefinition;

const sfn = mockClient(SFNClient);
const executions: Array<Promise<unknown>> = [];
let api: TestApi;
let http: ReturnType<typeof apiClient>;
const receivers = receiverPool();
const receiver = receivers.start;

beforeAll(async () => {
  await useTestTable('webhook-delivery');
  // Stage `local`: http:// and 127.0.0.1 receivers are allowed (the SSRF guard's one exception).
  process.env.STAGE = 'local';
  process.env.WEBHOOK_STATE_MACHINE_ARN = ARN;
  resetConfig();
  resetDeps();
  resetConsumerDeps();
  api = await startTestApi();
  http = apiClient(api);
  const machine = new StateMachine(asl);
  sfn.on(StartExecutionCommand).callsFake(async (input: { name: string; input: string }) => {
    const execution = machine.run(JSON.parse(input.input), {
      overrides: {
        taskResourceLocalHandlers: {
          Deliver: (i) => deliver(i as never) as never,
          RecordSucceeded: (i) => record(i as never) as never,
          RecordFailed: (i) => record(i as never) as never,
          RecordDeadLettered: (i) => record(i as never) as never,
        },
        retryIntervalOverrides: { Deliver: 20 },
      },
    });
    executions.push(execution.result);
    return {
      executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:${input.name}`,
      startDate: new Date(),
    };
  });
});

afterAll(async () => {
  sfn.restore();
  await api?.close();
  await receivers.closeAll();
});

const subscribe = async (url: string) => {
  const res = await http.post<Json>('/webhooks', { url, eventTypes: ['customer.deleted'] });
  expect(res.status).toBe(201);
  return res.body;
};

const customerDeleted = (): EventBridgeEvent<string, unknown> => {
  const eventId = randomUUID().replaceAll('-', '');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'customer.deleted',
    source: 'relay.customers',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: {
      eventId,
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      customerId: '01JG0000000000000000000000',
      version: 3,
    },
  };
};

/** Dispatches one event and waits for every workflow it started. */
const publish = async (event = customerDeleted()) => {
  const before = executions.length;
  await dispatch(event);
  await Promise.all(executions.slice(before));
  return event;
};

const deliveriesOf = async (webhookId: string, query = '') =>
  (await http.get<Json>(`/webhooks/${webhookId}/deliveries${query}`)).body.items as Json[];

describe('Webhook delivery (acceptance)', () => {
  it('delivers signed requests that verify with the subscription secret', async () => {
    // Prepare
    const hook = await receiver([200]);
    const webhook = await subscribe(hook.url);

    // Act
    const event = await publish();

    // Assess
    expect(hook.received).toHaveLength(1);
    const [request] = hook.received as [Received];
    expect(
      verifySignature(
        webhook.secret,
        request.headers[SIGNATURE_HEADER.toLowerCase()] as string,
        request.body,
      ),
    ).toBe(true);
    expect(
      verifySignature(
        'another-secret-0123456789abcdefghijklmn',
        request.headers['relay-signature'] as string,
        request.body,
      ),
    ).toBe(false);
    expect(request.headers['relay-event-id']).toBe((event.detail as Json).eventId);
    expect(request.headers['relay-event-type']).toBe('customer.deleted');
    expect(JSON.parse(request.body)).toMatchObject({
      id: (event.detail as Json).eventId,
      type: 'customer.deleted',
      data: { customerId: '01JG0000000000000000000000' },
    });
    expect(await deliveriesOf(webhook.id)).toEqual([
      expect.objectContaining({
        id: request.headers['relay-delivery-id'],
        status: 'succeeded',
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
      }),
    ]);
  });

  it('delivers on the third attempt to a receiver that fails twice', async () => {
    // Prepare
    const hook = await receiver([500, 502, 200]);
    const webhook = await subscribe(hook.url);

    // Act
    await publish();

    // Assess
    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map((r) => r.headers['relay-delivery-id'])).size).toBe(1);
    expect(await deliveriesOf(webhook.id)).toEqual([
      expect.objectContaining({ status: 'succeeded', attempts: 3, lastStatusCode: 200, lastError: null }),
    ]);
  });

  it('dead-letters the delivery to a receiver that always fails, after 5 attempts', async () => {
    // Prepare
    const hook = await receiver([500]);
    const webhook = await subscribe(hook.url);

    // Act
    await publish();

    // Assess
    expect(hook.received).toHaveLength(5);
    const dead = await deliveriesOf(webhook.id, '?status=dead_lettered');
    expect(dead).toEqual([
      expect.objectContaining({
        status: 'dead_lettered',
        attempts: 5,
        lastStatusCode: 500,
        lastError: 'HTTP 500',
      }),
    ]);
    expect(await deliveriesOf(webhook.id, '?status=pending')).toEqual([]);
  });

  it('deactivates a subscription whose receiver answers 410 Gone, without retries', async () => {
    // Prepare
    const hook = await receiver([410]);
    const webhook = await subscribe(hook.url);

    // Act
    await publish();
    await publish();

    // Assess
    expect(hook.received).toHaveLength(1);
    expect((await http.get<Json>(`/webhooks/${webhook.id}`)).body.active).toBe(false);
    expect(await deliveriesOf(webhook.id)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1, lastStatusCode: 410 }),
    ]);
  });

  it('delivers a redelivered event once (dedupe, one record, one execution name)', async () => {
    // Prepare
    const hook = await receiver([200]);
    const webhook = await subscribe(hook.url);
    const event = customerDeleted();

    // Act
    await publish(event);
    await publish(event);

    // Assess
    expect(hook.received).toHaveLength(1);
    expect(await deliveriesOf(webhook.id)).toHaveLength(1);
  });
});
