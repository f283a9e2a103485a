/**
 * Fault tests of the publisher against a REAL EventBridgeClient whose HTTP is answered by a fake
 * bus (`test/unit/support/fake-eventbridge.ts`): throttling and 5xx go through the SDK's own retry
 * strategy, partial failures through the publisher's entry retries. The downstream (the entries
 * the bus accepted) must hold every event exactly once.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type KeyedEntry, publishEvents } from '#shared/events/publisher';
import { publishStreamBatch } from '#shared/events/stream-batch';
import { type AcceptedEntry, FakeEventBridge } from '#test/unit/support/fake-eventbridge';
import { syntheticStreamRecords } from '#test/unit/support/stream-records';

const BUS = 'relay-test';
const fast = { baseDelayMs: 1 };

const entries = (n: number): KeyedEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `k${i}`,
    entry: {
      Source: 'relay.customers',
      DetailType: 'customer.updated',
      Detail: JSON.stringify({ eventId: i.toString(16).padStart(32, '0') }),
    },
  }));

const idsOf = (accepted: AcceptedEntry[]): string[] =>
  accepted.map((entry) => (JSON.parse(entry.Detail) as { eventId: string }).eventId);

const expectExactlyOnce = (accepted: AcceptedEntry[], expected: string[]) => {
  const ids = idsOf(accepted);
  expect(ids.length).toBe(new Set(ids).size);
  expect([...ids].sort()).toEqual([...expected].sort());
};

describe('Module: publisher (faults, real SDK retries)', () => {
  it('publishes every event once when a call is throttled and then fails with a 500 before succeeding', async () => {
    // Prepare
    const bus = new FakeEventBridge({ script: ['throttle', 'throttle', 'server-error'] });
    const input = entries(10);

    // Act
    const result = await publishEvents(bus.client({ maxAttempts: 5 }), BUS, input, fast);

    // Assess
    expect(result.failedKeys.size).toBe(0);
    expect(bus.httpCalls).toBe(4);
    expect(bus.responses).toMatchObject({ throttle: 2, serverError: 1, ok: 1 });
    expectExactlyOnce(
      bus.accepted,
      input.map((_, i) => i.toString(16).padStart(32, '0')),
    );
  });

  it('sends only the failed entries again after a partial failure, so none is duplicated', async () => {
    // Prepare
    const bus = new FakeEventBridge({ script: [{ fail: [0, 4, 9] }, { fail: [1] }] });
    const input = entries(10);

    // Act
    const result = await publishEvents(bus.client(), BUS, input, fast);

    // Assess
    expect(result.failedKeys.size).toBe(0);
    expect(bus.httpCalls).toBe(3);
    expectExactlyOnce(
      bus.accepted,
      input.map((_, i) => i.toString(16).padStart(32, '0')),
    );
  });

  it('combines SDK retries of a throttled retry call with entry retries', async () => {
    // Prepare
    const bus = new FakeEventBridge({ script: [{ fail: [2, 3] }, 'throttle', 'server-error', 'ok'] });
    const input = entries(4);

    // Act
    const result = await publishEvents(bus.client(), BUS, input, fast);

    // Assess
    expect(result.failedKeys.size).toBe(0);
    expectExactlyOnce(
      bus.accepted,
      input.map((_, i) => i.toString(16).padStart(32, '0')),
    );
  });

  it('reports every key of a request when the SDK runs out of attempts, and publishes nothing twice', async () => {
    // Prepare
    const bus = new FakeEventBridge({ script: ['throttle', 'throttle', 'throttle'] });
    const input = entries(12);

    // Act
    const result = await publishEvents(bus.client({ maxAttempts: 3 }), BUS, input, {
      ...fast,
      concurrency: 1,
    });

    // Assess
    expect([...result.failedKeys].sort()).toEqual(
      input
        .slice(0, 10)
        .map((e) => e.key)
        .sort(),
    );
    expect(idsOf(bus.accepted)).toHaveLength(2);
  });

  it('delivers 500 events exactly once through random throttling, 5xx and partial failures (retrying what is reported failed)', async () => {
    // Prepare
    const bus = new FakeEventBridge({
      random: { seed: 42, throttle: 0.2, serverError: 0.1, partial: 0.3, entryFailure: 0.3 },
    });
    const client = bus.client({ maxAttempts: 4 });
    const input = entries(500);

    // Act: like Lambda redelivering what the handler reported, until nothing is reported
    let pending = input;
    let rounds = 0;
    while (pending.length > 0 && rounds < 20) {
      const { failedKeys } = await publishEvents(client, BUS, pending, fast);
      pending = pending.filter((e) => failedKeys.has(e.key));
      rounds++;
    }

    // Assess
    expect(pending).toEqual([]);
    expect(bus.responses.throttle).toBeGreaterThan(0);
    expect(bus.responses.serverError).toBeGreaterThan(0);
    expect(bus.responses.partial).toBeGreaterThan(0);
    expectExactlyOnce(
      bus.accepted,
      input.map((_, i) => i.toString(16).padStart(32, '0')),
    );
  });

  it('publishes a whole stream batch through faults with at most 10 entries per request', async () => {
    // Prepare
    const bus = new FakeEventBridge({ script: ['throttle', { fail: [3, 7] }, 'server-error'] });
    const records: DynamoDBRecord[] = syntheticStreamRecords(100);

    // Act
    const result = await publishStreamBatch(records, {
      client: bus.client(),
      busName: BUS,
      publish: fast,
    });

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(bus.accepted).toHaveLength(100);
    expect(new Set(idsOf(bus.accepted)).size).toBe(100);
  });
});
