/**
 * The retry paths of the event backbone against the local cloud, with faults injected on the local
 * bus (`bus.injectFaults`): the real stream publisher (`functions/streams/publish-domain-events.ts`
 * with `shared/events/publisher.ts` and the SDK client of `shared/aws/eventbridge.ts`) over
 * DynamoDB Local's stream, and a consumer written with `consumeEvent` (dedupe on the table).
 *
 * - a throttled PutEvents is retried by the SDK; throttling past the SDK's attempts fails the
 *   record, which the stream retries;
 * - entries failing inside a 200 response are resent alone by the publisher; failing past its
 *   attempts, the stream retries the batch, re-publishing the records after it, and the consumer
 *   drops those duplicates: it runs once per event;
 * - a failing delivery is retried with the deployed attempts (`deployedTargetRetry`), then the DLQ.
 */
import { readFileSync } from 'node:fs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { customerCreated } from '#events/customers/customer-created';
import { stageConfig } from '#infra/config/stages';
import type { RecordedEvent } from '#infra/local/eventbridge';
import { LOCAL_RETRY_STAGE } from '#infra/local/retry-policy';
import { consumeEvent } from '#shared/events/consumer';
import { startTestCloud, type TestCloud } from './support/local-cloud.ts';

const RULE = 'count-customer-created';
/** Runs of the consumer's work, by event id. */
const runs = new Map<string, number>();
const consumer = consumeEvent('bus-faults-test', customerCreated, async (detail) => {
  runs.set(detail.eventId, (runs.get(detail.eventId) ?? 0) + 1);
});

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({
    rules: [],
    extraRules: [
      {
        name: RULE,
        description: 'test: counts customer.created runs',
        pattern: { source: [customerCreated.source], 'detail-type': [customerCreated.detailType] },
        target: { kind: 'lambda', handler: 'test/consumer' },
      },
    ],
    targets: { [RULE]: (event) => consumer(event as unknown as EventBridgeEvent<string, unknown>) },
    api: false,
  });
});

afterEach(() => {
  cloud.bus.clearFaults();
});

afterAll(async () => {
  await cloud?.close();
});

const template = unmarshall(
  JSON.parse(readFileSync(new URL('../fixtures/streams/customer-insert.json', import.meta.url), 'utf8'))
    .dynamodb.NewImage,
);

/** Writes `count` customer profiles in one request (so their stream records share a batch). */
const createCustomers = async (count: number): Promise<string[]> => {
  const ids = Array.from({ length: count }, () => ulid());
  await cloud.table.doc.send(
    new BatchWriteCommand({
      RequestItems: {
        [cloud.table.tableName]: ids.map((id) => ({
          PutRequest: {
            Item: {
              ...template,
              pk: `CUS#${id}`,
              gsi2sk: `CUS#${id}`,
              id,
              primaryEmail: `${id}@example.com`,
            },
          },
        })),
      },
    }),
  );
  return ids;
};

const busEventsOf = (customerId: string): RecordedEvent[] =>
  cloud.bus.events().filter((recorded) => recorded.event.detail.customerId === customerId);

/** Waits until every customer's event was run by the consumer and the bus is idle. */
const settled = async (ids: string[], timeoutMs = 15_000): Promise<void> => {
  for (const id of ids) {
    await cloud.bus.waitFor(
      (recorded) =>
        recorded.event.detail.customerId === id && recorded.deliveries.some((d) => d.status !== 'pending'),
      timeoutMs,
    );
  }
  await cloud.streams?.drained(timeoutMs);
  await cloud.bus.idle(timeoutMs);
};

const runsOf = (customerId: string): number[] =>
  [...new Set(busEventsOf(customerId).map((r) => r.event.detail.eventId as string))].map(
    (eventId) => runs.get(eventId) ?? 0,
  );

describe('local bus fault injection: producers retry', () => {
  it('a throttled PutEvents (HTTP 400 ThrottlingException) is retried by the SDK: one event, run once', async () => {
    // Prepare
    const before = cloud.bus.injectedFaults().throttled;
    cloud.bus.injectFaults({ throttle: 2 });

    // Act
    const [id] = (await createCustomers(1)) as [string];
    await settled([id]);

    // Assess
    expect(cloud.bus.injectedFaults().throttled - before).toBe(2);
    expect(busEventsOf(id)).toHaveLength(1);
    expect(runsOf(id)).toEqual([1]);
  });

  it('throttling past the SDK attempts fails the record; the stream retries it: one event, run once', async () => {
    // Prepare: the client makes 4 attempts (shared/aws/eventbridge.ts).
    const before = cloud.bus.injectedFaults().throttled;
    const batchesBefore = cloud.streams?.batches().length ?? 0;
    cloud.bus.injectFaults({ throttle: 4 });

    // Act
    const [id] = (await createCustomers(1)) as [string];
    await settled([id], 30_000);

    // Assess
    expect(cloud.bus.injectedFaults().throttled - before).toBe(4);
    const outcomes = (cloud.streams?.batches() ?? []).slice(batchesBefore).map((b) => b.outcome);
    expect(outcomes).toEqual(['failed', 'succeeded']);
    expect(busEventsOf(id)).toHaveLength(1);
    expect(runsOf(id)).toEqual([1]);
  });

  it('entries failing inside a 200 response are resent alone by the publisher: one event, run once', async () => {
    // Prepare
    const before = cloud.bus.injectedFaults().failedEntries;
    cloud.bus.injectFaults({ failEntries: { budget: 2, code: 'InternalFailure' } });

    // Act
    const [id] = (await createCustomers(1)) as [string];
    await settled([id]);

    // Assess
    expect(cloud.bus.injectedFaults().failedEntries - before).toBe(2);
    expect(busEventsOf(id)).toHaveLength(1);
    expect(runsOf(id)).toEqual([1]);
  });

  it('an entry failing past the publisher attempts: the stream retries the batch and the consumer drops the duplicates', async () => {
    // Prepare: the publisher sends a failed entry 4 times in all. Faults hit entries in request
    // order: attempts 1–3 fail both entries (6), attempt 4 fails the first one only (7): it is
    // given up, the second is accepted.
    const before = cloud.bus.injectedFaults().failedEntries;
    const batchesBefore = cloud.streams?.batches().length ?? 0;
    cloud.bus.injectFaults({ failEntries: { budget: 7, code: 'ThrottlingException' } });

    // Act
    const ids = await createCustomers(2);
    await settled(ids, 30_000);

    // Assess: one batch of both records, failed from the first, retried…
    expect(cloud.bus.injectedFaults().failedEntries - before).toBe(7);
    const batches = (cloud.streams?.batches() ?? []).slice(batchesBefore);
    expect(batches.map((b) => [b.records, b.outcome])).toEqual([
      [2, 'failed'],
      [2, 'succeeded'],
    ]);
    // …so the record accepted the first time went on the bus again (same event id)…
    const published = ids.map((id) => busEventsOf(id).length).sort();
    expect(published).toEqual([1, 2]);
    // …and every event ran once.
    for (const id of ids) expect(runsOf(id)).toEqual([1]);
  });
});

describe('local bus fault injection: target delivery', () => {
  it('a failed delivery is retried by the bus: the consumer runs once', async () => {
    // Prepare
    cloud.bus.injectFaults({ failDeliveries: { budget: 1, rule: RULE } });

    // Act
    const [id] = (await createCustomers(1)) as [string];
    await settled([id]);

    // Assess
    expect(busEventsOf(id)[0]?.deliveries).toEqual([
      expect.objectContaining({ rule: RULE, status: 'succeeded', attempts: 2 }),
    ]);
    expect(runsOf(id)).toEqual([1]);
  });

  it('a delivery failing every attempt lands in the DLQ after the deployed attempts (1 + consumerRetry)', async () => {
    // Prepare
    const deployed = 1 + stageConfig(LOCAL_RETRY_STAGE).events.consumerRetry.retryAttempts;
    cloud.bus.injectFaults({ failDeliveries: { budget: 100, rule: RULE } });

    // Act
    const [id] = (await createCustomers(1)) as [string];
    await settled([id]);

    // Assess
    const [recorded] = busEventsOf(id);
    expect(recorded?.deliveries).toEqual([expect.objectContaining({ status: 'failed', attempts: deployed })]);
    expect(cloud.bus.dlq().filter((d) => d.event.id === recorded?.event.id)).toEqual([
      expect.objectContaining({ rule: RULE, attempts: deployed, error: expect.stringContaining('injected') }),
    ]);
    expect(runsOf(id)).toEqual([0]);
  });
});
