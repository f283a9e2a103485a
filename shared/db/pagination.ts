/**
 * Cursor pagination over Query. Cursors carry the position (never raw keys in the clear: they are
 * signed by `cursor.ts`), and each decoded position is validated against the partition(s) the
 * query is allowed to read, so even a correctly signed cursor cannot leave its list.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { decodeCursor, encodeCursor, invalidCursorError } from '#shared/db/cursor';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorContext {
  secret: string;
  /** Identifies the query (list + filters); part of the signature. */
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
  let ExclusiveStartKey: Record<string, string> | undefined;
  if (options.cursor) {
    const parsed = StartKey.safeParse(
      decodeCursor(options.cursorContext.secret, options.cursorContext.scope, options.cursor),
    );
    if (!parsed.success || parsed.data[options.partitionKeyName] !== options.partitionKeyValue)
      throw invalidCursorError();
    ExclusiveStartKey = parsed.data;
  }
  const out = await client.send(new QueryCommand({ ...input, Limit: options.limit, ExclusiveStartKey }));
  const items = out.Items ?? [];
  const next = out.LastEvaluatedKey;
  return {
    items,
    nextCursor: next ? encodeCursor(options.cursorContext.secret, options.cursorContext.scope, next) : null,
  };
};

const ShardPositions = z.record(z.string().regex(/^\d+$/), z.union([z.literal('end'), StartKey]));

/**
 * A page of a write-sharded list (newest first): one Query per unfinished shard, merged by sort key,
 * first `limit` kept. The cursor records, per shard, the key of the last item handed out (or `end`).
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
  const { secret, scope } = options.cursorContext;
  let positions: Record<string, 'end' | Record<string, string>> = {};
  if (options.cursor) {
    const parsed = ShardPositions.safeParse(decodeCursor(secret, scope, options.cursor));
    if (!parsed.success) throw invalidCursorError();
    for (const [shard, position] of Object.entries(parsed.data)) {
      const partition = options.shardPartitions[Number(shard)];
      if (partition === undefined) throw invalidCursorError();
      if (position !== 'end' && position[options.partitionKeyName] !== partition) throw invalidCursorError();
    }
    positions = parsed.data;
  }

  const results = await Promise.all(
    options.shardPartitions.map(async (partition, shard) => {
      const position = positions[String(shard)];
      if (position === 'end') return { shard, items: [] as Record<string, unknown>[], exhausted: true };
      const out = await client.send(
        new QueryCommand({
          TableName: options.tableName,
          IndexName: options.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': options.partitionKeyName },
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: false,
          Limit: options.limit,
          ExclusiveStartKey: position,
        }),
      );
      return { shard, items: out.Items ?? [], exhausted: out.LastEvaluatedKey === undefined };
    }),
  );

  const sortValue = (item: Record<string, unknown>) => String(item[options.sortKeyName]);
  const merged = results
    .flatMap((r) => r.items.map((item) => ({ shard: r.shard, item })))
    .sort((a, b) =>
      sortValue(a.item) < sortValue(b.item) ? 1 : sortValue(a.item) > sortValue(b.item) ? -1 : 0,
    )
    .slice(0, options.limit);

  const next: Record<string, 'end' | Record<string, string>> = {};
  for (const result of results) {
    const shardKey = String(result.shard);
    const taken = merged.filter((m) => m.shard === result.shard);
    const last = taken.at(-1)?.item;
    if (positions[shardKey] === 'end' || (result.exhausted && taken.length === result.items.length)) {
      next[shardKey] = 'end';
    } else if (last) {
      next[shardKey] = Object.fromEntries(options.keyAttributes.map((k) => [k, String(last[k])]));
    } else if (positions[shardKey]) {
      next[shardKey] = positions[shardKey];
    }
  }
  const done = options.shardPartitions.every((_, shard) => next[String(shard)] === 'end');
  return {
    items: merged.map((m) => m.item),
    nextCursor: done ? null : encodeCursor(secret, scope, next),
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
