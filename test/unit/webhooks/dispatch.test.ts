/** The dispatcher: matching, idempotent delivery records, deterministic executions (SFN mocked). */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as dispatchHandler } from '#functions/events/dispatch-webhooks';
import { sfnDeliveryStarter } from '#shared/aws/sfn';
import { Id } from '#shared/domain/common/schemas';
import {
  type DispatchDeps,
  deliveryIdFor,
  dispatchEvent,
  executionNameFor,
  type WebhookEvent,
  wants,
} from '#shared/domain/webhooks/service';
import type { StoredWebhook } from '#shared/domain/webhooks/store';
import { memoryWebhookStore } from './memory-store.ts';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:relay-test-webhook-delivery';
const NOW = new Date('2026-11-23T10:00:00.000Z');

const webhook = (id: string, eventTypes: string[], active = true): StoredWebhook => ({
  id,
  url: 'https://hooks.example.com/relay',
  eventTypes,
  active,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  version: 1,
  secret: 'whsec_0123456789abcdefghijklmnopqrstuvwxyz',
});

const event: WebhookEvent = {
  eventId: '0123456789abcdef0123456789abcdef',
  detailType: 'customer.created',
  source: 'relay.customers',
  occurredAt: '2026-11-23T09:59:00.000Z',
  detail: { eventId: '0123456789abcdef0123456789abcdef', schemaVersion: 1, customerId: 'x' },
};

const ALL = '01JG00000000000000000000A1';
const CREATED = '01JG00000000000000000000B2';
const UPDATED = '01JG00000000000000000000C3';
const INACTIVE = '01JG00000000000000000000D4';

const sfn = mockClient(SFNClient);

const setup = () => {
  const memory = memoryWebhookStore([
    webhook(ALL, ['*']),
    webhook(CREATED, ['customer.created', 'company.created']),
    webhook(UPDATED, ['customer.updated']),
    webhook(INACTIVE, ['*'], false),
  ]);
  const deps: DispatchDeps = {
    webhooks: memory.store,
    clock: { now: () => NOW, newId: () => '01JG0000000000000000000000' },
    stage: 'prod',
    starter: sfnDeliveryStarter(new SFNClient({ region: 'us-east-1' }), ARN),
  };
  return { deps, memory };
};

beforeEach(() => {
  sfn.reset();
});

describe('Module: webhook dispatch', () => {
  describe('Function: wants', () => {
    it.each([
      [['*'], true, true],
      [['customer.created'], true, true],
      [['customer.updated', 'customer.created'], true, true],
      [['customer.updated'], true, false],
      [['*'], false, false],
    ])('types %j, active %s → %s for customer.created', (eventTypes, active, expected) => {
      // Assess
      expect(wants({ eventTypes, active }, 'customer.created')).toBe(expected);
    });
  });

  describe('Function: deliveryIdFor', () => {
    it('is a ULID whose time part is the event time, the same for the same pair', () => {
      // Act
      const id = deliveryIdFor(ALL, event.eventId, event.occurredAt);

      // Assess
      expect(Id.safeParse(id).success).toBe(true);
      expect(deliveryIdFor(ALL, event.eventId, event.occurredAt)).toBe(id);
      expect(deliveryIdFor(CREATED, event.eventId, event.occurredAt)).not.toBe(id);
      expect(deliveryIdFor(ALL, event.eventId, '2026-11-23T10:00:00.000Z') > id).toBe(true);
    });
  });

  describe('Function: executionNameFor', () => {
    it('is <webhookId>-<eventId> within the 80 characters Step Functions allows', () => {
      // Act
      const name = executionNameFor(ALL, event.eventId);

      // Assess
      expect(name).toBe(`${ALL}-${event.eventId}`);
      expect(name.length).toBeLessThanOrEqual(80);
    });
  });

  describe('Function: dispatchEvent', () => {
    it('starts one execution per active matching subscription, with a pending delivery each', async () => {
      // Prepare
      const { deps, memory } = setup();
      sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: NOW });

      // Act
      const result = await dispatchEvent(deps, event);

      // Assess
      expect(result).toEqual({ matched: 2, started: 2, alreadyStarted: 0 });
      const calls = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input);
      expect(calls.map((input) => input.name).sort()).toEqual(
        [executionNameFor(ALL, event.eventId), executionNameFor(CREATED, event.eventId)].sort(),
      );
      for (const input of calls) {
        expect(input.stateMachineArn).toBe(ARN);
        const parsed = JSON.parse(input.input ?? '{}');
        // References only: Step Functions history never holds the event body.
        expect(parsed).toEqual({
          deliveryId: deliveryIdFor(parsed.webhookId, event.eventId, event.occurredAt),
          webhookId: parsed.webhookId,
        });
        expect(memory.deliveries.get(`${parsed.webhookId}/${parsed.deliveryId}`)?.event).toEqual(event);
      }
      expect([...memory.deliveries.values()].map((d) => [d.webhookId, d.status, d.attempts]).sort()).toEqual([
        [ALL, 'pending', 0],
        [CREATED, 'pending', 0],
      ]);
    });

    it('reaches only the `*` subscription for a type no other subscription names', async () => {
      // Prepare
      const { deps } = setup();
      sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: NOW });

      // Act
      const result = await dispatchEvent(deps, { ...event, detailType: 'company.deleted' });

      // Assess
      expect(result).toEqual({ matched: 1, started: 1, alreadyStarted: 0 });
      expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.name).toBe(
        executionNameFor(ALL, event.eventId),
      );
    });

    it('starts nothing when only inactive subscriptions exist', async () => {
      // Prepare
      const memory = memoryWebhookStore([webhook(INACTIVE, ['*'], false)]);
      const { deps } = setup();

      // Act
      const result = await dispatchEvent({ ...deps, webhooks: memory.store }, event);

      // Assess
      expect(result).toEqual({ matched: 0, started: 0, alreadyStarted: 0 });
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
      expect(memory.deliveries.size).toBe(0);
    });

    it('treats ExecutionAlreadyExists as already started and keeps one delivery record (redelivery)', async () => {
      // Prepare
      const { deps, memory } = setup();
      sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:x`, startDate: NOW });
      await dispatchEvent(deps, event);
      sfn
        .on(StartExecutionCommand)
        .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

      // Act
      const again = await dispatchEvent(deps, event);

      // Assess
      expect(again).toEqual({ matched: 2, started: 0, alreadyStarted: 2 });
      expect(memory.deliveries.size).toBe(2);
    });

    it('lets any other StartExecution failure through (the event is retried, then dead-lettered)', async () => {
      // Prepare
      const { deps } = setup();
      sfn
        .on(StartExecutionCommand)
        .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

      // Act
      const result = dispatchEvent(deps, event);

      // Assess
      await expect(result).rejects.toMatchObject({ name: 'ThrottlingException' });
    });
  });

  describe('Handler: dispatch-webhooks', () => {
    const envelope = (detailType: string, detail: unknown) => ({
      version: '0',
      id: 'eb-1',
      'detail-type': detailType,
      source: 'relay.customers',
      account: '000000000000',
      time: NOW.toISOString(),
      region: 'us-east-1',
      resources: [],
      detail,
    });

    it('refuses a detail type outside the catalog (not retryable: InvalidEventError)', async () => {
      // Act
      const result = dispatchHandler(envelope('customer.exploded', {}));

      // Assess
      await expect(result).rejects.toMatchObject({ name: 'InvalidEventError' });
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    });

    it('refuses a detail that breaks its contract before touching any store', async () => {
      // Act
      const result = dispatchHandler(envelope('customer.deleted', { eventId: 'not-hex', schemaVersion: 1 }));

      // Assess
      await expect(result).rejects.toMatchObject({ name: 'InvalidEventError' });
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    });
  });
});
