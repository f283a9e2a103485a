/**
 * Thin helpers over the DynamoDB document client: transactions whose cancellation reasons map to
 * domain errors, batch writes that retry unprocessed items, and item ↔ entity mapping.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { keyAttributes } from '#shared/db/table';
import { isAuditedEntity } from '#shared/domain/audit/mapping';
import { RecordTooLargeError } from '#shared/errors';
import { LAST_CHANGE, type LastChange, lastChangeNow } from '#shared/http/request-context';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's item size limit (attribute names plus values, bytes). */
export const MAX_ITEM_BYTES = 400 * 1024;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Size of a document-client value as DynamoDB counts it (UTF-8 names and strings, numbers by
 * digits, one byte per boolean/null, 3 bytes of overhead per list/map): an upper-bound estimate
 * used to refuse a write before DynamoDB does.
 */
export const itemSizeOf = (value: unknown): number => {
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number' || typeof value === 'bigint') return Math.ceil(String(value).length / 2) + 1;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + itemSizeOf(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + itemSizeOf(v), 0);
  if (typeof value === 'object') {
    let sum = 3;
    for (const [name, v] of Object.entries(value)) sum += 1 + utf8Bytes(name) + itemSizeOf(v);
    return sum;
  }
  return 0;
};

const tooLarge = (detail: string) =>
  new RecordTooLargeError(`${detail} The limit is ${MAX_ITEM_BYTES} bytes per record; nothing was changed.`);

/** Refuses an item that would not fit DynamoDB's item limit, before anything is written. */
export const assertItemFits = (item: Record<string, unknown>): void => {
  const size = itemSizeOf(item);
  if (size > MAX_ITEM_BYTES) throw tooLarge(`The record would be about ${size} bytes.`);
};

const SIZE_MESSAGE = /item size|size has exceeded|exceeds? the maximum/i;

/**
 * The 4xx a storage-limit rejection by DynamoDB means (an update that grew an item past 400 KB:
 * `ValidationException`, or a transaction cancelled with a `ValidationError` reason); `undefined`
 * for every other error. DynamoDB applies nothing of a rejected write, so the record is unchanged.
 */
export const storageLimitError = (error: unknown): RecordTooLargeError | undefined => {
  if (error instanceof RecordTooLargeError) return error;
  const e = error as {
    name?: string;
    message?: string;
    CancellationReasons?: { Code?: string; Message?: string }[];
  };
  if (e?.name === 'ValidationException' && SIZE_MESSAGE.test(e.message ?? '')) {
    return tooLarge('The change would grow the record past the storage limit.');
  }
  if (e?.name === 'TransactionCanceledException') {
    const reasons = e.CancellationReasons ?? [];
    if (reasons.some((r) => r.Code === 'ValidationError' && SIZE_MESSAGE.test(r.Message ?? ''))) {
      return tooLarge('The change would grow the record past the storage limit.');
    }
    if (SIZE_MESSAGE.test(e.message ?? ''))
      return tooLarge('The change would grow the record past the storage limit.');
  }
  return undefined;
};

/** True for a single-item write whose `ConditionExpression` did not hold. */
export const isConditionalCheckFailed = (error: unknown): boolean =>
  (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/** Runs one conditional update; `false` (not an error) when its condition did not hold. */
export const conditionalUpdate = async (
  client: DynamoDBDocumentClient,
  input: UpdateCommandInput,
): Promise<boolean> => {
  try {
    await client.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
};

/**
 * The cancellation reason of a failed item. `Item` is the stored item in wire format
 * (`{ n: { N: '3' } }`) when the item asked for it (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`)
 * and existed.
 */
export interface FailedCondition {
  Item?: Record<string, unknown> | undefined;
}

/** A transaction item and the error its failed condition means (none: rethrow the SDK error). */
export interface PlannedWrite {
  item: TransactItem;
  onFail?: (reason: FailedCondition) => Error | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a transaction. Conflicts with a concurrent transaction (`TransactionConflict`) are retried
 * with jitter, so a race resolves into a clean success or a condition failure; a failed condition
 * is thrown as the error its item planned (`onFail`).
 */
export const transactWrite = async (
  client: DynamoDBDocumentClient,
  planned: PlannedWrite[],
  attempts = 5,
): Promise<void> => {
  const items = planned.map((p) => stampedPut(p.item));
  for (const item of items) if (item.Put?.Item) assertItemFits(item.Put.Item);
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const mapped = planned[failed]?.onFail?.({ Item: reasons[failed]?.Item });
        if (mapped) throw mapped;
        throw error;
      }
      const retryable = reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError');
      if (!retryable || attempt >= attempts) throw error;
      await sleep(20 * 2 ** attempt * Math.random());
    }
  }
};

/**
 * Unique-value guard items (one per email address or domain): claiming one fails with `onTaken`
 * when another owner holds it; releasing one only deletes it while `ownerAttribute` still names
 * the releasing owner.
 */
export const claimGuard = (
  tableName: string,
  key: { pk: string; sk: string },
  entity: string,
  owner: Record<string, string>,
  onTaken: () => Error,
): PlannedWrite => ({
  item: {
    Put: {
      TableName: tableName,
      Item: { ...key, entity, ...owner },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
  onFail: onTaken,
});

export const releaseGuard = (
  tableName: string,
  key: { pk: string; sk: string },
  ownerAttribute: string,
  ownerId: string,
): PlannedWrite => ({
  item: {
    Delete: {
      TableName: tableName,
      Key: key,
      // A guard that is already gone is fine; one that another owner holds is never deleted.
      ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner',
      ExpressionAttributeNames: { '#owner': ownerAttribute },
      ExpressionAttributeValues: { ':owner': ownerId },
    },
  },
});

/** Deletes keys in batches of 25, retrying unprocessed items with backoff. */
export const batchDelete = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: Array<Record<string, string>>,
): Promise<void> => {
  for (let i = 0; i < keys.length; i += 25) {
    let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchWriteItem kept returning unprocessed items');
      if (attempt > 0) await sleep(25 * 2 ** attempt);
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
};

/**
 * Deletes every item of a partition, page by page (a Query on the partition, never a Scan) — for
 * data that can outgrow a transaction, such as a timeline or a delivery log.
 */
export const deletePartition = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
): Promise<void> => {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey,
      }),
    );
    await batchDelete(client, tableName, (out.Items ?? []) as Array<Record<string, string>>);
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
};

/** Gets items by key (chunks of 100, unprocessed keys retried), returned in the order of `keys`. */
export const batchGet = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: Array<{ pk: string; sk: string }>,
): Promise<Array<Record<string, unknown> | undefined>> => {
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Array<Record<string, unknown>> = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchGetItem kept returning unprocessed keys');
      if (attempt > 0) await sleep(25 * 2 ** attempt);
      const out = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
      );
      for (const item of out.Responses?.[tableName] ?? []) found.set(`${item.pk}\u0000${item.sk}`, item);
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return keys.map((key) => found.get(`${key.pk}\u0000${key.sk}`));
};

/** Attribute naming who made an item's last change (agreement 3 of issue 7; read by the audit log). */
export { LAST_CHANGE };

/**
 * How a write says who made it: returns `item` with `lastChange` from the current request context
 * (`shared/http/request-context.ts`). Every store's item builder for an audited entity
 * (docs/adr/0009-audit-log.md) passes its item through here; Updates use `stampUpdate`.
 */
export const stamp = <T extends Record<string, unknown>>(item: T): T & { lastChange: LastChange } => ({
  ...item,
  [LAST_CHANGE]: lastChangeNow(),
});

/**
 * An Update with `SET lastChange = <now>` joined to its SET clause (or a SET clause added): for
 * updates of audited items (recycle-bin moves, deactivations), so the audit log names their writer.
 */
export const stampUpdate = <
  U extends {
    UpdateExpression?: string | undefined;
    ExpressionAttributeNames?: Record<string, string> | undefined;
    ExpressionAttributeValues?: Record<string, unknown> | undefined;
  },
>(
  update: U,
  at?: string,
): U & {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
} => {
  const assignment = '#lastChange = :lastChange';
  const expression = update.UpdateExpression ?? '';
  // SET is a reserved word: outside a placeholder (#SET, :SET) it can only be the clause keyword.
  const clause = /(^|\s)SET\s+/i.exec(expression);
  const UpdateExpression = clause
    ? `${expression.slice(0, clause.index + (clause[1]?.length ?? 0))}SET ${assignment}, ${expression.slice(clause.index + clause[0].length)}`
    : `SET ${assignment}${expression.trim() ? ` ${expression.trim()}` : ''}`;
  return {
    ...update,
    UpdateExpression,
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#lastChange': LAST_CHANGE },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':lastChange': lastChangeNow(at) },
  };
};

/**
 * Safety net of `transactWrite`: a Put of an audited entity that no item builder stamped gets the
 * current writer, so a new store cannot silently write unattributed changes in a transaction.
 */
const stampedPut = (item: TransactItem): TransactItem => {
  const { Put } = item;
  if (!Put?.Item || !isAuditedEntity(Put.Item.entity) || LAST_CHANGE in Put.Item) return item;
  return { ...item, Put: { ...Put, Item: stamp(Put.Item) } };
};

const internalAttributes = new Set<string>([...keyAttributes, 'entity', 'expiresAt', LAST_CHANGE]);

/** Strips key and bookkeeping attributes (and `lastChange`) from an item, leaving the entity's own fields. */
export const entityOf = <T>(item: Record<string, unknown>): T => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (!internalAttributes.has(key)) out[key] = value;
  }
  return out as T;
};

/**
 * An Update that turns the stored entity `before` into `after` field by field (SET changed,
 * REMOVE dropped), leaving attributes owned by other writers (counters) untouched.
 */
export const updateFields = (
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  skip: ReadonlySet<string> = new Set(),
): {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
} => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  let n = 0;
  for (const [field, value] of Object.entries(after)) {
    if (skip.has(field) || value === undefined) continue;
    names[`#f${n}`] = field;
    values[`:f${n}`] = value;
    sets.push(`#f${n} = :f${n}`);
    n++;
  }
  for (const field of Object.keys(before)) {
    if (skip.has(field) || after[field] !== undefined) continue;
    names[`#f${n}`] = field;
    removes.push(`#f${n}`);
    n++;
  }
  const expression = [
    sets.length ? `SET ${sets.join(', ')}` : '',
    removes.length ? `REMOVE ${removes.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
};

/**
 * Ids of recycle-bin entries due for purge at `now`, at most `limit`, across the `shards` of a
 * bin index (`gsi2`: `shardKey(n)` / `<purgeAt>#<id>`). Reads stop once `limit` ids are found.
 */
export const dueInRecycleBin = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  bin: { shards: number; shardKey: (shard: number) => string; dueUntil: string },
  limit: number,
): Promise<string[]> => {
  const ids: string[] = [];
  for (let shard = 0; shard < bin.shards && ids.length < limit; shard++) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :until',
          ExpressionAttributeValues: { ':pk': bin.shardKey(shard), ':until': bin.dueUntil },
          ProjectionExpression: 'id',
          Limit: limit - ids.length,
          ExclusiveStartKey,
        }),
      );
      for (const item of out.Items ?? []) if (ids.length < limit) ids.push(String(item.id));
      ExclusiveStartKey = ids.length < limit ? out.LastEvaluatedKey : undefined;
    } while (ExclusiveStartKey);
  }
  return ids;
};
