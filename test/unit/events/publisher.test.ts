import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandInput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  chunkEntries,
  entrySize,
  type KeyedEntry,
  MAX_ENTRIES_PER_REQUEST,
  MAX_REQUEST_BYTES,
  publishEvents,
} from '#shared/events/publisher';

const BUS = 'relay-test';
const eventBridge = mockClient(EventBridgeClient);
const client = new EventBridgeClient({ region: 'us-east-1' });
const noSleep = { sleep: async () => {} };

const entry = (key: string, detailBytes = 40): KeyedEntry => ({
  key,
  entry: {
    Source: 'relay.customers',
    DetailType: 'customer.created',
    Detail: JSON.stringify({ key, pad: 'x'.repeat(Math.max(0, detailBytes - 20)) }),
  },
});

const sentEntries = (): PutEventsRequestEntry[][] =>
  eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
const keyOf = (e: PutEventsRequestEntry): string => (JSON.parse(e.Detail ?? '{}') as { key: string }).key;

/** Accepts every entry. */
const acceptAll = (input: PutEventsCommandInput) => ({
  FailedEntryCount: 0,
  Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `id-${i}` })),
});

describe('Module: publisher', () => {
  beforeEach(() => {
    eventBridge.reset();
  });

  describe('Function: publishEvents', () => {
    it('sends 25 entries in three requests of at most 10, in order', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).callsFake(acceptAll);
      const entries = Array.from({ length: 25 }, (_, i) => entry(`k${i}`));

      // Act
      const result = await publishEvents(client, BUS, entries, { ...noSleep, concurrency: 1 });

      // Assess
      expect(result.failedKeys.size).toBe(0);
      expect(sentEntries().map((batch) => batch.length)).toEqual([10, 10, 5]);
      expect(sentEntries().flat().map(keyOf)).toEqual(entries.map((e) => e.key));
    });

    it('puts every entry on the given bus', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).callsFake(acceptAll);

      // Act
      await publishEvents(client, BUS, [entry('a'), entry('b')], noSleep);

      // Assess
      expect(
        sentEntries()
          .flat()
          .map((e) => e.EventBusName),
      ).toEqual([BUS, BUS]);
    });

    it('splits requests by size so none exceeds 256 KB', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).callsFake(acceptAll);
      const entries = Array.from({ length: 5 }, (_, i) => entry(`big${i}`, 100 * 1024));

      // Act
      const result = await publishEvents(client, BUS, entries, { ...noSleep, concurrency: 1 });

      // Assess
      expect(result.failedKeys.size).toBe(0);
      expect(sentEntries().map((batch) => batch.length)).toEqual([2, 2, 1]);
      for (const batch of sentEntries()) {
        expect(batch.reduce((sum, e) => sum + entrySize(e), 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
      }
    });

    it('reports an entry over 256 KB as failed without sending it, and sends the others', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).callsFake(acceptAll);
      const entries = [entry('small1'), entry('huge', 300 * 1024), entry('small2')];

      // Act
      const result = await publishEvents(client, BUS, entries, noSleep);

      // Assess
      expect([...result.failedKeys]).toEqual(['huge']);
      expect(sentEntries().flat().map(keyOf)).toEqual(['small1', 'small2']);
    });

    it('retries only the entries that failed inside a successful response', async () => {
      // Prepare
      eventBridge
        .on(PutEventsCommand)
        .resolvesOnce({
          FailedEntryCount: 2,
          Entries: [
            { EventId: 'e0' },
            { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
            { EventId: 'e2' },
            { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' },
          ],
        })
        .callsFake(acceptAll);
      const entries = ['a', 'b', 'c', 'd'].map((key) => entry(key));

      // Act
      const result = await publishEvents(client, BUS, entries, noSleep);

      // Assess
      expect(result.failedKeys.size).toBe(0);
      expect(sentEntries().map((batch) => batch.map(keyOf))).toEqual([
        ['a', 'b', 'c', 'd'],
        ['b', 'd'],
      ]);
    });

    it('reports the keys of entries still failing after the last attempt', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
        FailedEntryCount: 1,
        Entries: (input.Entries ?? []).map((e) =>
          keyOf(e) === 'stuck' ? { ErrorCode: 'InternalFailure' } : { EventId: keyOf(e) },
        ),
      }));
      const entries = [entry('ok'), entry('stuck')];

      // Act
      const result = await publishEvents(client, BUS, entries, { ...noSleep, entryAttempts: 3 });

      // Assess
      expect([...result.failedKeys]).toEqual(['stuck']);
      expect(sentEntries()).toHaveLength(3);
    });

    it('waits with growing, jittered backoff between entry retries', async () => {
      // Prepare
      eventBridge
        .on(PutEventsCommand)
        .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
      const waits: number[] = [];

      // Act
      await publishEvents(client, BUS, [entry('stuck')], {
        entryAttempts: 4,
        baseDelayMs: 100,
        sleep: async (ms) => {
          waits.push(ms);
        },
      });

      // Assess
      expect(waits).toHaveLength(3);
      waits.forEach((ms, i) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThan(100 * 2 ** (i + 1));
      });
    });

    it('does not retry an entry rejected permanently, and reports it', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).resolves({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'e0' }, { ErrorCode: 'MalformedDetail', ErrorMessage: 'bad' }],
      });

      // Act
      const result = await publishEvents(client, BUS, [entry('ok'), entry('bad')], noSleep);

      // Assess
      expect([...result.failedKeys]).toEqual(['bad']);
      expect(sentEntries()).toHaveLength(1);
    });

    it('treats entries without a result in a partially failed response as failed', async () => {
      // Prepare
      eventBridge
        .on(PutEventsCommand)
        .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'e0' }] })
        .callsFake(acceptAll);

      // Act
      const result = await publishEvents(client, BUS, [entry('a'), entry('b')], noSleep);

      // Assess
      expect(result.failedKeys.size).toBe(0);
      expect(sentEntries().map((batch) => batch.map(keyOf))).toEqual([['a', 'b'], ['b']]);
    });

    it('fails every key of a request the SDK gave up on, and still sends the other requests', async () => {
      // Prepare
      let call = 0;
      eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
        call++;
        if (call === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        return acceptAll(input);
      });
      const entries = Array.from({ length: 15 }, (_, i) => entry(`k${i}`));

      // Act
      const result = await publishEvents(client, BUS, entries, { ...noSleep, concurrency: 1 });

      // Assess
      expect([...result.failedKeys].sort()).toEqual(
        entries
          .slice(0, 10)
          .map((e) => e.key)
          .sort(),
      );
      expect(sentEntries()).toHaveLength(2);
    });

    it('reports a key failed when any one of its entries failed', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
        FailedEntryCount: 1,
        Entries: (input.Entries ?? []).map((e) =>
          keyOf(e) === 'second' ? { ErrorCode: 'InternalFailure' } : { EventId: 'x' },
        ),
      }));
      const entries: KeyedEntry[] = [
        { key: 'record-1', entry: entry('first').entry },
        { key: 'record-1', entry: entry('second').entry },
      ];

      // Act
      const result = await publishEvents(client, BUS, entries, noSleep);

      // Assess
      expect([...result.failedKeys]).toEqual(['record-1']);
    });

    it('makes no call for no entries', async () => {
      // Act
      const result = await publishEvents(client, BUS, [], noSleep);

      // Assess
      expect(result.failedKeys.size).toBe(0);
      expect(sentEntries()).toHaveLength(0);
    });
  });

  describe('Function: entrySize', () => {
    it('counts Time, Source, DetailType, Detail and Resources in UTF-8 bytes', () => {
      // Prepare
      const e: PutEventsRequestEntry = {
        Time: new Date(),
        Source: 'relay.customers',
        DetailType: 'customer.created',
        Detail: '{"name":"Zoë"}',
        Resources: ['arn:a', 'arn:bb'],
        EventBusName: 'not counted',
      };

      // Act
      const size = entrySize(e);

      // Assess
      expect(size).toBe(14 + 15 + 16 + 15 + 5 + 6);
    });
  });

  describe('Function: chunkEntries', () => {
    it('puts every entry into exactly one request of ≤ 10 entries and ≤ 256 KB, in order (property)', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              { weight: 6, arbitrary: fc.integer({ min: 0, max: 2_000 }) },
              { weight: 3, arbitrary: fc.integer({ min: 2_000, max: 140_000 }) },
              { weight: 1, arbitrary: fc.integer({ min: 250_000, max: 300_000 }) },
            ),
            { maxLength: 60 },
          ),
          (sizes) => {
            // Prepare
            const entries = sizes.map((bytes, i) => ({
              id: i,
              entry: { Source: 's', DetailType: 'd', Detail: 'x'.repeat(bytes) },
            }));

            // Act
            const { chunks, oversized } = chunkEntries(entries);

            // Assess
            for (const chunk of chunks) {
              expect(chunk.length).toBeGreaterThan(0);
              expect(chunk.length).toBeLessThanOrEqual(MAX_ENTRIES_PER_REQUEST);
              expect(chunk.reduce((sum, e) => sum + entrySize(e.entry), 0)).toBeLessThanOrEqual(
                MAX_REQUEST_BYTES,
              );
            }
            const placed = [...chunks.flat(), ...oversized].map((e) => e.id).sort((a, b) => a - b);
            expect(placed).toEqual(entries.map((e) => e.id));
            expect(chunks.flat().map((e) => e.id)).toEqual(
              entries.filter((e) => entrySize(e.entry) <= MAX_REQUEST_BYTES).map((e) => e.id),
            );
            for (const e of oversized) expect(entrySize(e.entry)).toBeGreaterThan(MAX_REQUEST_BYTES);
          },
        ),
      );
    });
  });
});
