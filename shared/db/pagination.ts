/**
 * Cursor pagination over Query. Cursors carry the position (never readable: `cursor.ts` encrypts
 * it under the cursor key ring, bound to the query scope), and each decoded position is validated against the partition(s) the
 * query is allowed to read, so even a correctly signed cursor cannot leave its list.
 */
import '#shared/zod-locale';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { type CursorKeys, decodeCursor, encodeCursor, invalidCursorError } from '#shared/db/cursor';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorContext {
  /** The cursor key ring, resolved before the page is read (a missing ring fails the listing). */
  keys: CursorKeys;
  /** Identifies the query (list + filters); bound to the cursor as additional data. */
  scope: string;
}

const StartKey = z.record(z.string(), z.string());

type QueryInput = Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>;

/** One Query per page on a single partition (customer timeline, company contacts, type feeds). */
export const queryPage = async (
  client: DynamoDBDocumentClient,
  input: QueryInput,
  options: {
    limit: number;
    cursor?: string | undefined;
    cursorContext: CursorContext;
    partitionKeyName: string;
    partitionKeyValue: string;
  },
): Promise<Page<Record<string, unknown>>> => {
  const { scope } = options.cursorContext;
  const ring = await options.cursorContext.keys();
  let ExclusiveStartKey: Record<string, string> | undefined;
  if (options.cursor) {
    const parsed = StartKey.safeParse(decodeCursor(ring, scope, options.cursor));
    if (!parsed.success || parsed.data[options.partitionKeyName] !== options.partitionKeyValue)
      throw invalidCursorError();
    ExclusiveStartKey = parsed.data;
  }
  const out = await client.send(new QueryCommand({ ...input, Limit: options.limit, ExclusiveStartKey }));
  const items = out.Items ?? [];
  const next = out.LastEvaluatedKey;
  return {
    items,
    nextCursor: next ? encodeCursor(ring, scope, next) : null,
  };
};

const ShardPositions = z.record(z.string().check(z.regex(/^\d+$/)), z.union([z.literal('end'), StartKey]));

type Position = 'end' | Record<string, string>;

/** Queries per page at most, the first parallel round included (each round reads one shard more). */
const maxRounds = (shards: number): number => shards * 4;

interface ShardState {
  shard: number;
  partition: string;
  /** Items read and not yet known to be handed out, newest first. */
  items: Record<string, unknown>[];
  /** Where the next Query of this shard starts; `undefined` before the first one. */
  next: Record<string, unknown> | undefined;
  /** No more items after `items`. */
  exhausted: boolean;
  /** The sort value of the oldest item this shard has vouched for (read, or the cursor position). */
  bound: string | undefined;
}

/**
 * A page of a write-sharded list (newest first), merged across shards in exact order. Each shard
 * is read with one Query per round; DynamoDB may end a shard's page early (1 MB per Query, large
 * items), so an item is handed out only when it is at least as new as the oldest item read from
 * every shard that still has more (nothing unread can then be newer). Until `limit` items are
 * safe, the shard holding the boundary is read further; after a bounded number of Queries the
 * page is returned short (still in order) with a cursor. The cursor records, per shard, the key of
 * the last item handed out (or `end`).
 */
export const queryShardedPage = async (
  client: DynamoDBDocumentClient,
  options: {
    tableName: string;
    indexName: string;
    partitionKeyName: string;
    sortKeyName: string;
    shardPartitions: string[];
    /** Attributes that form the index key plus the table key, in the order ExclusiveStartKey needs. */
    keyAttributes: string[];
    limit: number;
    cursor?: string | undefined;
    cursorContext: CursorContext;
  },
): Promise<Page<Record<string, unknown>>> => {
  const { scope } = options.cursorContext;
  const ring = await options.cursorContext.keys();
  const { sortKeyName, limit } = options;
  let positions: Record<string, Position> = {};
  if (options.cursor) {
    const parsed = ShardPositions.safeParse(decodeCursor(ring, scope, options.cursor));
    if (!parsed.success) throw invalidCursorError();
    for (const [shard, position] of Object.entries(parsed.data)) {
      const partition = options.shardPartitions[Number(shard)];
      if (partition === undefined) throw invalidCursorError();
      if (position !== 'end' && position[options.partitionKeyName] !== partition) throw invalidCursorError();
      if (position !== 'end' && typeof position[sortKeyName] !== 'string') throw invalidCursorError();
    }
    positions = parsed.data;
  }

  const sortValue = (item: Record<string, unknown>): string => String(item[sortKeyName]);
  const shards: ShardState[] = options.shardPartitions.map((partition, shard) => {
    const position = positions[String(shard)];
    return {
      shard,
      partition,
      items: [],
      next: position === 'end' ? undefined : position,
      exhausted: position === 'end',
      bound: position === 'end' ? undefined : position?.[sortKeyName],
    };
  });

  const read = async (state: ShardState): Promise<void> => {
    const out = await client.send(
      new QueryCommand({
        TableName: options.tableName,
        IndexName: options.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': options.partitionKeyName },
        ExpressionAttributeValues: { ':pk': state.partition },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: state.next,
      }),
    );
    const items = out.Items ?? [];
    state.items.push(...items);
    state.next = out.LastEvaluatedKey;
    state.exhausted = out.LastEvaluatedKey === undefined;
    const last = items.at(-1);
    if (last) state.bound = sortValue(last);
  };

  /** Byte order, as DynamoDB sorts string keys (newest first = descending). */
  const newerFirst = (a: string, b: string): number => Buffer.compare(Buffer.from(b), Buffer.from(a));
  /**
   * The newest sort value below which unread items may exist: the highest bound among shards with
   * more to read (`null`: one of them has vouched for nothing yet, so nothing is safe).
   */
  const floor = (): { value: string | undefined; shard: ShardState | undefined } | null => {
    let found: { value: string | undefined; shard: ShardState | undefined } = {
      value: undefined,
      shard: undefined,
    };
    for (const state of shards) {
      if (state.exhausted) continue;
      if (state.bound === undefined) return null;
      if (found.value === undefined || newerFirst(state.bound, found.value) < 0) {
        found = { value: state.bound, shard: state };
      }
    }
    return found;
  };
  const safe = (): Array<{ state: ShardState; item: Record<string, unknown> }> => {
    const boundary = floor();
    const all = shards
      .flatMap((state) => state.items.map((item) => ({ state, item })))
      .sort((a, b) => newerFirst(sortValue(a.item), sortValue(b.item)));
    if (boundary === null) return [];
    const { value } = boundary;
    return value === undefined ? all : all.filter((m) => newerFirst(sortValue(m.item), value) <= 0);
  };

  let rounds = 0;
  // Round one: every shard with more to read, in parallel.
  await Promise.all(shards.filter((s) => !s.exhausted).map(read));
  rounds += 1;
  for (;;) {
    if (safe().length >= limit || rounds >= maxRounds(shards.length)) break;
    const boundary = floor();
    if (boundary !== null && boundary.value === undefined) break; // every shard read to its end
    // Read further the shards that hold the boundary (or have vouched for nothing yet).
    const laggards = shards.filter(
      (s) => !s.exhausted && (boundary === null ? s.bound === undefined : s === boundary.shard),
    );
    await Promise.all(laggards.map(read));
    rounds += 1;
  }

  const taken = safe().slice(0, limit);
  const next: Record<string, Position> = {};
  for (const state of shards) {
    const shardKey = String(state.shard);
    const mine = taken.filter((m) => m.state === state);
    const last = mine.at(-1)?.item;
    if (state.exhausted && mine.length === state.items.length) {
      next[shardKey] = 'end';
    } else if (last) {
      next[shardKey] = Object.fromEntries(options.keyAttributes.map((k) => [k, String(last[k])]));
    } else {
      const previous = positions[shardKey];
      if (previous !== undefined) next[shardKey] = previous;
    }
  }
  const done = options.shardPartitions.every((_, shard) => next[String(shard)] === 'end');
  return {
    items: taken.map((m) => m.item),
    nextCursor: done ? null : encodeCursor(ring, scope, next),
  };
};

/**
 * A page of one of the write-sharded "all items of a type" lists on gsi2 (newest first), e.g.
 * all customers (`CUSLIST#<shard>`) or all companies (`COMLIST#<shard>`).
 */
export const queryShardedList = (
  client: DynamoDBDocumentClient,
  options: {
    tableName: string;
    shardPartition: (shard: number) => string;
    shards: number;
    limit: number;
    cursor?: string | undefined;
    cursorContext: CursorContext;
  },
): Promise<Page<Record<string, unknown>>> =>
  queryShardedPage(client, {
    tableName: options.tableName,
    indexName: 'gsi2',
    partitionKeyName: 'gsi2pk',
    sortKeyName: 'gsi2sk',
    shardPartitions: Array.from({ length: options.shards }, (_, shard) => options.shardPartition(shard)),
    keyAttributes: ['gsi2pk', 'gsi2sk', 'pk', 'sk'],
    limit: options.limit,
    cursor: options.cursor,
    cursorContext: options.cursorContext,
  });
