/**
 * Cursor pagination over Query, with the DocumentClient mocked (aws-sdk-client-mock) by a small
 * in-memory model of DynamoDB Query (`test/unit/support/fake-query.ts`).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { cursorKeyRing, decodeCursor, encodeCursor, staticCursorKeys } from '#shared/db/cursor';
import { customerListShard, customerPartition, LIST_SHARDS } from '#shared/db/keys';
import { type CursorContext, queryPage, queryShardedPage } from '#shared/db/pagination';
import { ValidationError } from '#shared/errors';
import { byteCompare, ulidArb } from '#test/unit/support/arbitraries';
import { rejectionOf } from '#test/unit/support/errors';
import { fakeQuery, type Item } from '#test/unit/support/fake-query';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

const TABLE = 'relay-test';
const RING = cursorKeyRing('k1', { k1: 'pagination-key-material-0123456789abcdefghijkl' });
const cursorContext: CursorContext = { keys: staticCursorKeys(RING), scope: 'customers' };

const SHARDS = Array.from({ length: LIST_SHARDS }, (_, shard) => customerListShard(shard));
const listIndex = {
  partitionKey: 'gsi2pk',
  sortKey: 'gsi2sk',
  keyAttributes: ['gsi2pk', 'gsi2sk', 'pk', 'sk'],
};

/** A customer-list item on a given shard, as the customer store writes it. */
const listItem = (id: string, shard: number): Item => ({
  pk: customerPartition(id),
  sk: 'PROFILE',
  gsi2pk: customerListShard(shard),
  gsi2sk: customerPartition(id),
  id,
});

const shardedPage = (limit: number, cursor?: string) =>
  queryShardedPage(client, {
    tableName: TABLE,
    indexName: 'gsi2',
    partitionKeyName: 'gsi2pk',
    sortKeyName: 'gsi2sk',
    shardPartitions: SHARDS,
    keyAttributes: listIndex.keyAttributes,
    limit,
    cursor,
    cursorContext,
  });

/** Newest first: ULIDs sort by creation time, so descending id order. */
const newestFirst = (ids: string[]): string[] => [...ids].sort().reverse();

/** The ids of 12 customers, oldest to newest, and where they live. */
const ids = Array.from({ length: 12 }, (_, i) => `01JF${String(i).padStart(22, '0')}`);
const spread = ids.map((id, i) => listItem(id, [0, 1, 2, 3, 0, 0, 2, 1, 3, 3, 0, 2][i] ?? 0));

const CUSTOMER = '01JD8X3Q9Z7N6M5K4H3G2F1E0D';
const timelineIndex = { partitionKey: 'pk', sortKey: 'sk', keyAttributes: ['pk', 'sk'] };
const timelineItem = (customerId: string, n: number): Item => ({
  pk: customerPartition(customerId),
  sk: `EVT#2026-11-${String(1 + (n % 28)).padStart(2, '0')}T09:00:00.000Z#${String(n).padStart(26, '0')}`,
});
const timelinePage = (limit: number, cursor?: string, customerId = CUSTOMER) =>
  queryPage(
    client,
    {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :start AND :end',
      ExpressionAttributeValues: { ':pk': customerPartition(customerId), ':start': 'EVT#', ':end': 'EVT#~' },
      ScanIndexForward: false,
    },
    {
      limit,
      cursor,
      cursorContext: { keys: cursorContext.keys, scope: `timeline:${customerId}` },
      partitionKeyName: 'pk',
      partitionKeyValue: customerPartition(customerId),
    },
  );

const expectInvalidCursor = (error: unknown): void => {
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).errors?.[0]?.path).toBe('query.cursor');
};

describe('Module: pagination', () => {
  beforeEach(() => {
    ddb.reset();
  });

  describe('Function: queryShardedPage', () => {
    it('queries every shard partition newest first on the list index', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(spread, listIndex));

      // Act
      await shardedPage(5);

      // Assess
      const inputs = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
      expect(inputs.map((input) => input.ExpressionAttributeValues?.[':pk']).sort()).toEqual(SHARDS);
      for (const input of inputs) {
        expect(input).toMatchObject({
          TableName: TABLE,
          IndexName: 'gsi2',
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'gsi2pk' },
          ScanIndexForward: false,
          Limit: 5,
        });
      }
    });

    it('merges the shards into one newest-first page', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(spread, listIndex));

      // Act
      const page = await shardedPage(50);

      // Assess
      expect(page.items.map((item) => item.id)).toEqual(newestFirst(ids));
      expect(page.nextCursor).toBeNull();
    });

    it('hands out at most limit items', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(spread, listIndex));

      // Act
      const page = await shardedPage(5);

      // Assess
      expect(page.items.map((item) => item.id)).toEqual(newestFirst(ids).slice(0, 5));
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it('resumes each shard right after the last item it handed out', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(spread, listIndex));
      const first = await shardedPage(5);
      ddb.resetHistory();

      // Act
      const second = await shardedPage(5, first.nextCursor ?? undefined);

      // Assess
      expect(second.items.map((item) => item.id)).toEqual(newestFirst(ids).slice(5, 10));
    });

    it('records per-shard positions in a signed cursor', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(spread, listIndex));

      // Act
      const page = await shardedPage(3);

      // Assess: the three newest are ids 11 (shard 2), 10 (shard 0) and 9 (shard 3)
      const positions = decodeCursor(RING, cursorContext.scope, page.nextCursor ?? '');
      const keyOf = (id: string, shard: number) => ({
        gsi2pk: `CUSLIST#${shard}`,
        gsi2sk: `CUS#${id}`,
        pk: `CUS#${id}`,
        sk: 'PROFILE',
      });
      expect(positions).toEqual({
        '0': keyOf(ids[10] ?? '', 0),
        '2': keyOf(ids[11] ?? '', 2),
        '3': keyOf(ids[9] ?? '', 3),
      });
    });

    it('stops querying a shard once everything on it was handed out', async () => {
      // Prepare: shards 2 and 3 are empty; shard 1's only item is not on the first page
      const items = [listItem(ids[11] ?? '', 0), listItem(ids[10] ?? '', 0), listItem(ids[9] ?? '', 1)];
      ddb.on(QueryCommand).callsFake(fakeQuery(items, listIndex));
      const first = await shardedPage(2);
      ddb.resetHistory();

      // Act
      const second = await shardedPage(2, first.nextCursor ?? undefined);

      // Assess
      const queried = ddb
        .commandCalls(QueryCommand)
        .map((call) => call.args[0].input.ExpressionAttributeValues?.[':pk']);
      expect(queried.sort()).toEqual(['CUSLIST#0', 'CUSLIST#1']);
      expect(second).toEqual({ items: [items[2]], nextCursor: null });
    });

    it('returns an empty last page with no cursor for an empty list', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery([], listIndex));

      // Act
      const page = await shardedPage(10);

      // Assess
      expect(page).toEqual({ items: [], nextCursor: null });
    });

    it('pages through any list with any limits without duplicates or gaps', async () => {
      // Prepare
      const itemsArb = fc.uniqueArray(fc.record({ id: ulidArb(), shard: fc.nat({ max: LIST_SHARDS - 1 }) }), {
        selector: (r) => r.id,
        maxLength: 60,
      });
      const limitsArb = fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 });

      await fc.assert(
        fc.asyncProperty(itemsArb, limitsArb, async (placed, limits) => {
          ddb.reset();
          ddb.on(QueryCommand).callsFake(
            fakeQuery(
              placed.map(({ id, shard }) => listItem(id, shard)),
              listIndex,
            ),
          );
          const expected = newestFirst(placed.map((p) => p.id));

          // Act
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let page = 0; page <= expected.length + 1; page += 1) {
            const limit = limits[page % limits.length] ?? 1;
            const result = await shardedPage(limit, cursor);
            // Assess (per page): full pages until the list runs out
            expect(result.items.length).toBe(Math.min(limit, expected.length - seen.length));
            seen.push(...result.items.map((item) => String(item.id)));
            if (result.nextCursor === null) break;
            cursor = result.nextCursor;
          }

          // Assess
          expect(seen).toEqual(expected);
        }),
        { numRuns: 150 },
      );
    });

    it('rejects a signed cursor whose position points into another partition', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(spread, listIndex));
      const foreign = encodeCursor(RING, cursorContext.scope, {
        '0': { gsi2pk: 'COMLIST#0', gsi2sk: 'COM#01JF0000000000000000000000', pk: 'COM#X', sk: 'PROFILE' },
      });

      // Act
      const error = await rejectionOf(shardedPage(5, foreign));

      // Assess
      expectInvalidCursor(error);
      expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    });

    it('rejects a signed cursor for a shard that does not exist', async () => {
      // Prepare
      const beyond = encodeCursor(RING, cursorContext.scope, {
        [String(LIST_SHARDS)]: 'end',
      });

      // Act
      const error = await rejectionOf(shardedPage(5, beyond));

      // Assess
      expectInvalidCursor(error);
    });

    it('rejects a signed cursor that is not a shard position map', async () => {
      // Prepare
      const odd = encodeCursor(RING, cursorContext.scope, ['CUSLIST#0']);

      // Act
      const error = await rejectionOf(shardedPage(5, odd));

      // Assess
      expectInvalidCursor(error);
    });

    it('rejects a cursor issued for another list', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(spread, listIndex));
      const companies = encodeCursor(RING, 'companies', { '0': 'end' });

      // Act
      const error = await rejectionOf(shardedPage(5, companies));

      // Assess
      expectInvalidCursor(error);
    });
  });

  describe('Function: queryPage', () => {
    const timeline = Array.from({ length: 9 }, (_, n) => timelineItem(CUSTOMER, n));
    const newestTimeline = [...timeline].sort((a, b) => byteCompare(b.sk ?? '', a.sk ?? ''));

    it('passes the limit and no start key on the first page', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(timeline, timelineIndex));

      // Act
      await timelinePage(4);

      // Assess
      const input = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
      expect(input?.Limit).toBe(4);
      expect(input?.ExclusiveStartKey).toBeUndefined();
      expect(input?.ScanIndexForward).toBe(false);
    });

    it('returns a cursor that resumes after the last item', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(timeline, timelineIndex));
      const first = await timelinePage(4);

      // Act
      const second = await timelinePage(4, first.nextCursor ?? undefined);

      // Assess
      expect(first.items).toEqual(newestTimeline.slice(0, 4));
      expect(second.items).toEqual(newestTimeline.slice(4, 8));
      expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
        pk: newestTimeline[3]?.pk,
        sk: newestTimeline[3]?.sk,
      });
    });

    it('returns no cursor when DynamoDB reports no more items', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(timeline, timelineIndex));

      // Act
      const page = await timelinePage(50);

      // Assess
      expect(page.items).toHaveLength(9);
      expect(page.nextCursor).toBeNull();
    });

    it('keeps newest-first order across pages when a shard’s page ends early (1 MB of large items)', async () => {
      // Prepare: shard 0 holds the newest items, each 400 KB (two fit in one 1 MB read); shard 1 small older ones
      const newest = ids.slice(6).map((id) => ({ ...listItem(id, 0), size: '400000' }));
      const older = ids.slice(0, 6).map((id) => ({ ...listItem(id, 1), size: '1000' }));
      const budget = { pageBytes: 1_048_576, sizeOf: (item: Item) => Number(item.size ?? 100) };
      ddb.on(QueryCommand).callsFake(fakeQuery([...newest, ...older], listIndex, budget));

      // Act
      const first = await shardedPage(5);
      const second = await shardedPage(5, first.nextCursor ?? undefined);

      // Assess
      expect([...first.items, ...second.items].map((item) => item.id)).toEqual(newestFirst(ids).slice(0, 10));
    });

    it('merges pages in exact reference order for random shard sizes, item sizes and limits', async () => {
      // Prepare
      const itemsArb = fc.uniqueArray(
        fc.record({
          id: ulidArb(),
          shard: fc.nat({ max: LIST_SHARDS - 1 }),
          size: fc.oneof(fc.integer({ min: 100, max: 4_000 }), fc.integer({ min: 150_000, max: 400_000 })),
        }),
        { selector: (r) => r.id, maxLength: 100 },
      );
      const limitsArb = fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 });
      const budget = { pageBytes: 1_048_576, sizeOf: (item: Item) => Number(item.size) };

      await fc.assert(
        fc.asyncProperty(itemsArb, limitsArb, async (placed, limits) => {
          ddb.reset();
          ddb.on(QueryCommand).callsFake(
            fakeQuery(
              placed.map(({ id, shard, size }) => ({ ...listItem(id, shard), size: String(size) })),
              listIndex,
              budget,
            ),
          );
          const reference = [...placed].sort((a, b) => byteCompare(b.id, a.id)).map((p) => p.id);

          // Act
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let page = 0; page <= reference.length * 2 + 1; page += 1) {
            const limit = limits[page % limits.length] ?? 1;
            const result = await shardedPage(limit, cursor);
            // Assess (per page): never more than limit, and progress while items remain
            expect(result.items.length).toBeLessThanOrEqual(limit);
            if (seen.length < reference.length) expect(result.items.length).toBeGreaterThan(0);
            seen.push(...result.items.map((item) => String(item.id)));
            if (result.nextCursor === null) break;
            cursor = result.nextCursor;
          }

          // Assess
          expect(seen).toEqual(reference);
        }),
        { numRuns: 150 },
      );
    });

    it('never puts the raw key in the cursor', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(timeline, timelineIndex));

      // Act
      const page = await timelinePage(2);

      // Assess
      expect(page.nextCursor).not.toContain('CUS#');
      expect(page.nextCursor).not.toContain('EVT#');
    });

    it('pages through a partition with any limits without duplicates or gaps', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 40 }),
          fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 6 }),
          async (count, limits) => {
            // Prepare
            const items = Array.from({ length: count }, (_, n) => timelineItem(CUSTOMER, n));
            const other = Array.from({ length: 5 }, (_, n) => timelineItem('01JF0000000000000000000000', n));
            ddb.reset();
            ddb.on(QueryCommand).callsFake(fakeQuery([...items, ...other], timelineIndex));

            // Act
            const seen: Item[] = [];
            let cursor: string | undefined;
            for (let page = 0; page <= count + 1; page += 1) {
              const result = await timelinePage(limits[page % limits.length] ?? 1, cursor);
              seen.push(...(result.items as Item[]));
              if (result.nextCursor === null) break;
              cursor = result.nextCursor;
            }

            // Assess
            expect(seen.map((item) => item.sk)).toEqual(
              items.map((item) => item.sk ?? '').sort((a, b) => byteCompare(b, a)),
            );
          },
        ),
        { numRuns: 150 },
      );
    });

    it('rejects a signed cursor for another customer’s partition without querying', async () => {
      // Prepare
      ddb.on(QueryCommand).callsFake(fakeQuery(timeline, timelineIndex));
      const foreign = encodeCursor(RING, `timeline:${CUSTOMER}`, {
        pk: customerPartition('01JF0000000000000000000000'),
        sk: 'EVT#2026-11-01T09:00:00.000Z#0',
      });

      // Act
      const error = await rejectionOf(timelinePage(4, foreign));

      // Assess
      expectInvalidCursor(error);
      expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    });

    it('rejects a signed cursor that is not a key map', async () => {
      // Prepare
      const odd = encodeCursor(RING, `timeline:${CUSTOMER}`, {
        pk: customerPartition(CUSTOMER),
        n: 1,
      });

      // Act
      const error = await rejectionOf(timelinePage(4, odd));

      // Assess
      expectInvalidCursor(error);
    });

    it('rejects a cursor issued for another customer’s timeline', async () => {
      // Prepare
      const other = '01JF0000000000000000000000';
      ddb
        .on(QueryCommand)
        .callsFake(fakeQuery([timelineItem(other, 1), timelineItem(other, 2)], timelineIndex));
      const { nextCursor } = await timelinePage(1, undefined, other);

      // Act
      const error = await rejectionOf(timelinePage(1, nextCursor ?? undefined));

      // Assess
      expectInvalidCursor(error);
    });
  });
});
