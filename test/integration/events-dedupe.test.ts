/**
 * Idempotent consumers on DynamoDB Local: the same stream batch replayed three times reaches a
 * consumer as the same event ids, and the consumer's function runs once per event; a failing
 * function releases its claim so the retry runs; the serious-complaint consumer flags the STATS
 * item once and tolerates a deleted customer.
 */
import { readFileSync } from 'node:fs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, EventBridgeEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { catalog } from '#events/catalog';
import { customerCreated } from '#events/customers/customer-created';
import { customerStatsKey, dedupeKey } from '#shared/db/keys';
import { consumeEvent, resetConsumerDeps } from '#shared/events/consumer';
import { createDedupeStore, DEDUPE_TTL_SECONDS } from '#shared/events/dedupe';
import { eventsFromRecord } from '#shared/events/from-stream';
import { type TestTable, useTestTable } from '#test/integration/support/local-cloud';
import { syntheticStreamRecords } from '#test/unit/support/stream-records';

let table: TestTable;

beforeAll(async () => {
  table = await useTestTable('events-dedupe');
  resetConsumerDeps();
});

/** What EventBridge hands a target: the published entry wrapped in the envelope, detail as JSON. */
const envelope = (
  source: string,
  detailType: string,
  detail: unknown,
): EventBridgeEvent<string, unknown> => ({
  id: crypto.randomUUID(),
  version: '0',
  account: '123456789012',
  time: '2026-11-23T12:00:03Z',
  region: 'eu-central-1',
  resources: [],
  source,
  'detail-type': detailType,
  detail: JSON.parse(JSON.stringify(detail)),
});

/** The bus: stream records → events (as the publisher maps them) → EventBridge envelopes. */
const deliver = (records: DynamoDBRecord[]) =>
  records
    .flatMap((record) => eventsFromRecord(record))
    .map((event) => envelope(event.contract.source, event.contract.detailType, event.detail));

const streamFixture = (name: string): DynamoDBRecord =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/streams/${name}.json`, import.meta.url), 'utf8'),
  ) as DynamoDBRecord;

describe('Integration: idempotent event consumers', () => {
  it('runs a consumer once per event when the same stream batch is replayed three times', async () => {
    // Prepare
    const records = syntheticStreamRecords(40, 1);
    const seen: string[] = [];
    const handler = consumeEvent('replay-customers', customerCreated, async (detail) => {
      seen.push(detail.eventId);
    });
    const expected = deliver(records).filter((e) => e['detail-type'] === customerCreated.detailType);

    // Act
    for (let replay = 0; replay < 3; replay++) {
      for (const event of deliver(records)) {
        if (event['detail-type'] === customerCreated.detailType) await handler(event);
      }
    }

    // Assess
    expect(expected).toHaveLength(10);
    expect(seen).toHaveLength(10);
    expect(new Set(seen)).toEqual(new Set(expected.map((e) => (e.detail as { eventId: string }).eventId)));
  });

  it('runs every catalog consumer once per event under concurrent duplicate deliveries', async () => {
    // Prepare
    const records = syntheticStreamRecords(24, 2);
    const runs = new Map<string, number>();
    const handlers = new Map<string, ReturnType<typeof consumeEvent>>(
      catalog.map((contract) => [
        contract.detailType,
        consumeEvent(`concurrent-${contract.detailType}`, contract, async (detail) => {
          const id = (detail as { eventId: string }).eventId;
          runs.set(id, (runs.get(id) ?? 0) + 1);
        }),
      ]),
    );
    const events = deliver(records);

    // Act: three deliveries of each event at once; losers see the claim and fail or skip
    const outcomes = await Promise.allSettled(
      [...events, ...events, ...events].map((event) => handlers.get(event['detail-type'])?.(event)),
    );
    // EventBridge retries the deliveries that failed (EventInProgressError) later.
    const retried = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [i] : []));
    for (const i of retried) {
      const event = [...events, ...events, ...events][i] as EventBridgeEvent<string, unknown>;
      await handlers.get(event['detail-type'])?.(event);
    }

    // Assess
    expect(runs.size).toBe(events.length);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toMatchObject({ name: 'EventInProgressError' });
    }
  });

  it('releases the claim when the function fails, so the retry runs it', async () => {
    // Prepare
    const fn = vi.fn().mockRejectedValueOnce(new Error('webhook endpoint down')).mockResolvedValue(undefined);
    const handler = consumeEvent('release-on-failure', customerCreated, fn);
    const [event] = deliver([streamFixture('customer-insert')]);
    if (!event) throw new Error('fixture produced no event');
    const { eventId } = event.detail as { eventId: string };

    // Act
    await expect(handler(event)).rejects.toThrow('webhook endpoint down');
    const afterFailure = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: dedupeKey('release-on-failure', eventId) }),
    );
    await handler(event);
    await handler(event);

    // Assess
    expect(afterFailure.Item).toBeUndefined();
    expect(fn).toHaveBeenCalledTimes(2);
    const record = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: dedupeKey('release-on-failure', eventId) }),
    );
    expect(record.Item).toMatchObject({ entity: 'dedupe', status: 'done', eventId });
  });

  it('writes dedupe records that expire after 7 days', async () => {
    // Prepare
    const now = Date.parse('2026-11-23T12:00:00.000Z');
    const store = createDedupeStore(table.doc, table.tableName, () => now);

    // Act
    const claim = await store.claim('ttl-check', 'a'.repeat(32), 60_000);

    // Assess
    expect(claim).toBe('claimed');
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: dedupeKey('ttl-check', 'a'.repeat(32)) }),
    );
    expect(Item?.expiresAt).toBe(now / 1000 + DEDUPE_TTL_SECONDS);
  });

  it('lets a new delivery take over a claim whose lock has expired (crashed invocation)', async () => {
    // Prepare
    let now = Date.parse('2026-11-23T12:00:00.000Z');
    const store = createDedupeStore(table.doc, table.tableName, () => now);
    const eventId = 'b'.repeat(32);
    await store.claim('crash-recovery', eventId, 30_000);

    // Act
    const whileLocked = await store.claim('crash-recovery', eventId, 30_000);
    now += 31_000;
    const afterLock = await store.claim('crash-recovery', eventId, 30_000);
    await store.complete('crash-recovery', eventId);
    now += 3_600_000;
    const afterDone = await store.claim('crash-recovery', eventId, 30_000);

    // Assess
    expect([whileLocked, afterLock, afterDone]).toEqual(['inProgress', 'claimed', 'done']);
  });

  it('treats an expired record that TTL has not deleted yet as absent', async () => {
    // Prepare
    let now = Date.parse('2026-11-23T12:00:00.000Z');
    const store = createDedupeStore(table.doc, table.tableName, () => now);
    const eventId = 'c'.repeat(32);
    await store.claim('ttl-lag', eventId, 1_000);
    await store.complete('ttl-lag', eventId);

    // Act
    now += (DEDUPE_TTL_SECONDS + 60) * 1000;
    const claim = await store.claim('ttl-lag', eventId, 1_000);

    // Assess
    expect(claim).toBe('claimed');
  });
});

describe('Integration: flag-serious-complaint consumer', () => {
  const loadHandler = async () => (await import('#functions/events/flag-serious-complaint')).handler;

  it('flags the customer’s stats once, keeping the first attentionSince', async () => {
    // Prepare
    const handler = await loadHandler();
    const record = streamFixture('timeline-complaint-insert');
    const [event] = deliver([record]);
    if (!event) throw new Error('fixture produced no event');
    const customerId = (event.detail as { customerId: string }).customerId;
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...customerStatsKey(customerId),
          entity: 'customerStats',
          complaintsCount: 1,
          openComplaints: 1,
        },
      }),
    );
    const later = structuredClone(record);
    later.eventID = 'ffffffffffffffffffffffffffffffff';
    const laterEvent = deliver([later])[0] as EventBridgeEvent<string, unknown>;
    (laterEvent.detail as Record<string, unknown>).occurredAt = '2026-11-30T09:00:00.000Z';

    // Act
    await handler(event);
    await handler(event);
    await handler(laterEvent);

    // Assess
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: customerStatsKey(customerId) }),
    );
    expect(Item).toMatchObject({
      needsAttention: true,
      attentionReason: 'critical complaint',
      attentionSince: '2026-11-23T12:00:00.000Z',
      complaintsCount: 1,
    });
  });

  it('ignores a complaint about a customer deleted meanwhile, creating nothing', async () => {
    // Prepare
    const handler = await loadHandler();
    const record = streamFixture('timeline-complaint-insert');
    record.eventID = 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
    const event = deliver([record])[0] as EventBridgeEvent<string, unknown>;
    const detail = event.detail as { customerId: string };
    detail.customerId = '01JF9999999999999999999999';

    // Act
    const act = handler(event);

    // Assess
    await expect(act).resolves.toBeUndefined();
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: customerStatsKey(detail.customerId) }),
    );
    expect(Item).toBeUndefined();
  });

  it('does nothing for a low-severity complaint', async () => {
    // Prepare
    const handler = await loadHandler();
    const record = streamFixture('timeline-complaint-insert');
    record.eventID = 'dddddddddddddddddddddddddddddddd';
    const event = deliver([record])[0] as EventBridgeEvent<string, unknown>;
    const detail = event.detail as { customerId: string; severity: string };
    detail.customerId = '01JF8888888888888888888888';
    detail.severity = 'low';
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...customerStatsKey(detail.customerId), entity: 'customerStats', complaintsCount: 1 },
      }),
    );

    // Act
    await handler(event);

    // Assess
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: customerStatsKey(detail.customerId) }),
    );
    expect(Item?.needsAttention).toBeUndefined();
  });
});
