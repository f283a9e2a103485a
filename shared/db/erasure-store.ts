/**
 * Purge and export of one customer, driven by the erasure registry
 * (`shared/domain/privacy/registry.ts`): what the registry names is what is removed or exported.
 *
 * The purge is idempotent and resumable: guards and the company link go first (read from the
 * profile), then every item of the customer partition but the profile and the tombstone, then
 * idempotency records that echo the customer, then the profile, and last the tombstone is marked
 * done. A retry after a crash at any step finds what is left and finishes it.
 *
 * The tombstone is the purge request, so it is read first and decides (at-least-once delivery,
 * replays and restores make every case reachable):
 *
 * | tombstone | profile  | outcome                                                              |
 * |-----------|----------|----------------------------------------------------------------------|
 * | `done`    | any      | `alreadyPurged`: nothing is read or written again                    |
 * | `pending` | any      | `purged`: the purge runs (or finishes what an earlier attempt left)  |
 * | none      | present  | `notRequested`: the request no longer stands (restored), nothing removed |
 * | none      | none     | `PurgeRequestMissingError`: nothing to judge by, so retried, then DLQ |
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CursorKeys, decodeCursor, encodeCursor, invalidCursorError } from '#shared/db/cursor';
import {
  batchDelete,
  dueInRecycleBin,
  entityOf,
  isConditionalCheckFailed,
  type PlannedWrite,
  releaseGuard,
  stampUpdate,
  transactWrite,
} from '#shared/db/dynamo';
import {
  companyContactKey,
  companyProfileKey,
  customerPartition,
  customerProfileKey,
  customerTombstoneKey,
  IDEMPOTENCY_SHARDS,
  idempotencyPartition,
  type Key,
  LIST_SHARDS,
  recycleBinDueUntil,
  recycleBinShard,
  sortKeys,
  uniqueEmailKey,
} from '#shared/db/keys';
import type { Customer, ErasureStatus } from '#shared/domain/customers/schemas';
import { exportSectionOf } from '#shared/domain/privacy/registry';

type Item = Record<string, unknown>;

export interface ErasureStore {
  /** Writes the tombstone unless one exists; returns the stored one (a second request is a no-op). */
  requestPurge(status: ErasureStatus): Promise<{ status: ErasureStatus; created: boolean }>;
  status(customerId: string): Promise<ErasureStatus | undefined>;
  /**
   * The recycle bin's purge request: the tombstone is written only while the profile is still
   * binned and due, in one transaction with that check — a restore that wins the race keeps the
   * customer (restore in turn refuses once a tombstone exists). `false` when nothing was written.
   */
  requestRetentionPurge(status: ErasureStatus, now: string): Promise<boolean>;
  /** Ids of binned customers whose `purgeAt` is at or before `now` (at most `limit`). */
  dueForPurge(now: string, limit: number): Promise<string[]>;
}

export interface ExportReader {
  /** One page of everything held about the customer, grouped by export section. */
  exportPage(
    customerId: string,
    cursor: string | undefined,
  ): Promise<{ sections: Record<string, Item[]>; nextCursor: string | null }>;
}

const EXPORT_PAGE_ITEMS = 500;

/** The tombstone write of a purge request: once per customer (`attribute_not_exists`), stamped. */
const tombstoneWrite = (tableName: string, status: ErasureStatus) =>
  stampUpdate({
    TableName: tableName,
    Key: customerTombstoneKey(status.customerId),
    UpdateExpression:
      'SET entity = :entity, customerId = :id, reason = :reason, #status = :status, requestedAt = :at, requestedBy = :by' +
      (status.category ? ', category = :category' : ''),
    ConditionExpression: 'attribute_not_exists(pk)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':entity': 'customerTombstone',
      ':id': status.customerId,
      ':reason': status.reason,
      ':status': 'pending',
      ':at': status.requestedAt,
      ':by': status.requestedBy,
      ...(status.category ? { ':category': status.category } : {}),
    },
  });

export const createErasureStore = (client: DynamoDBDocumentClient, tableName: string): ErasureStore => {
  return {
    async requestPurge(status) {
      try {
        await client.send(new UpdateCommand(tombstoneWrite(tableName, status)));
        return { status: { ...status, status: 'pending' }, created: true };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        const existing = await this.status(status.customerId);
        if (!existing) throw error;
        return { status: existing, created: false };
      }
    },

    async requestRetentionPurge(status, now) {
      const skipped = new NotPurgeableError();
      try {
        await transactWrite(client, [
          {
            item: {
              Update: tombstoneWrite(tableName, status),
            },
            onFail: () => skipped,
          },
          {
            item: {
              ConditionCheck: {
                TableName: tableName,
                Key: customerProfileKey(status.customerId),
                ConditionExpression: 'attribute_exists(deletedAt) AND purgeAt <= :now',
                ExpressionAttributeValues: { ':now': now },
              },
            },
            onFail: () => skipped,
          },
        ]);
        return true;
      } catch (error) {
        if (error === skipped) return false;
        throw error;
      }
    },

    async status(customerId) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: customerTombstoneKey(customerId), ConsistentRead: true }),
      );
      return out.Item ? entityOf<ErasureStatus>(out.Item) : undefined;
    },

    dueForPurge: (now, limit) =>
      dueInRecycleBin(
        client,
        tableName,
        { shards: LIST_SHARDS, shardKey: recycleBinShard, dueUntil: recycleBinDueUntil(now) },
        limit,
      ),
  };
};

const partitionKeys = async function* (
  client: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
) {
  let ExclusiveStartKey: Item | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': customerPartition(customerId) },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey,
      }),
    );
    yield (out.Items ?? []) as Array<{ pk: string; sk: string }>;
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
};

/** Idempotency records whose stored response names the customer (≤ 24 h old, 8 partitions). */
const purgeIdempotencyRecords = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
): Promise<number> => {
  let deleted = 0;
  for (let shard = 0; shard < IDEMPOTENCY_SHARDS; shard++) {
    let ExclusiveStartKey: Item | undefined;
    do {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'contains(#data, :id)',
          ExpressionAttributeNames: { '#data': 'data' },
          ExpressionAttributeValues: { ':pk': idempotencyPartition(String(shard)), ':id': customerId },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey,
        }),
      );
      const keys = (out.Items ?? []) as Array<Record<string, string>>;
      await batchDelete(client, tableName, keys);
      deleted += keys.length;
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return deleted;
};

/** What a purge request came to (see the module comment). */
export type PurgeOutcome =
  | { outcome: 'purged'; deletedItems: number }
  /** The tombstone says done: a redelivered or replayed request. */
  | { outcome: 'alreadyPurged' }
  /** No tombstone but a profile: restored since (and maybe binned again); nothing was removed. */
  | { outcome: 'notRequested'; binned: boolean };

/**
 * Removes every registered item holding the customer's data and marks the tombstone done, when
 * (and only when) its tombstone asks for it. Idempotent and resumable (see the module comment);
 * needs no cursor secret.
 */
export const purgeCustomerData = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
  at: string,
): Promise<PurgeOutcome> => {
  const read = async <T>(Key: Key): Promise<T | undefined> => {
    const out = await client.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }));
    return out.Item ? entityOf<T>(out.Item) : undefined;
  };
  // 0. The request itself: the tombstone decides whether there is anything to do.
  const tombstone = await read<ErasureStatus>(customerTombstoneKey(customerId));
  if (tombstone?.status === 'done') return { outcome: 'alreadyPurged' };
  const profile = await read<Customer>(customerProfileKey(customerId));
  if (!tombstone) {
    if (profile) return { outcome: 'notRequested', binned: profile.deletedAt !== undefined };
    throw new PurgeRequestMissingError(customerId);
  }
  let deletedItems = 0;
  // 1. Guards and the company link, read from the profile (deleted last, so a retry still has it).
  if (profile) {
    const planned: PlannedWrite[] = profile.emails.map((e) =>
      releaseGuard(tableName, uniqueEmailKey(e.address), 'customerId', customerId),
    );
    if (profile.companyId) {
      planned.push(
        {
          item: {
            Delete: {
              TableName: tableName,
              Key: companyContactKey(profile.companyId, customerId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          // Already unlinked by an earlier attempt: nothing to undo.
          onFail: () => new LinkGoneError(),
        },
        {
          item: {
            Update: {
              TableName: tableName,
              Key: companyProfileKey(profile.companyId),
              UpdateExpression: 'SET contactsCount = contactsCount - :one',
              ConditionExpression: 'attribute_exists(pk) AND contactsCount > :zero',
              ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
            },
          },
          onFail: () => new LinkGoneError(),
        },
      );
    }
    try {
      if (planned.length > 0) await transactWrite(client, planned);
    } catch (error) {
      if (!(error instanceof LinkGoneError)) throw error;
      // The link (or the company) is gone already: release the guards on their own.
      const guards = planned.filter((p) => p.onFail === undefined);
      if (guards.length > 0) await transactWrite(client, guards);
    }
    deletedItems += planned.length;
  }
  // 2. Everything on the customer partition but the profile and the tombstone.
  for await (const keys of partitionKeys(client, tableName, customerId)) {
    const doomed = keys.filter((k) => k.sk !== sortKeys.profile && k.sk !== sortKeys.tombstone);
    await batchDelete(client, tableName, doomed);
    deletedItems += doomed.length;
  }
  // 3. Idempotency records that echo the customer.
  deletedItems += await purgeIdempotencyRecords(client, tableName, customerId);
  // 4. The profile, then the tombstone records that it is done (no personal data in it).
  if (profile) {
    await batchDelete(client, tableName, [{ ...customerProfileKey(customerId) }]);
    deletedItems += 1;
  }
  // The condition only fails if the tombstone was removed while this ran: unexpected, so thrown.
  await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: customerTombstoneKey(customerId),
      UpdateExpression: 'SET #status = :done, purgedAt = if_not_exists(purgedAt, :at)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':done': 'done', ':at': at },
    }),
  );
  return { outcome: 'purged', deletedItems };
};

/** Export pages, encrypted cursors scoped to the customer (`export:<id>`). */
export const createExportReader = (
  client: DynamoDBDocumentClient,
  tableName: string,
  cursorKeys: CursorKeys,
): ExportReader => ({
  async exportPage(customerId, cursor) {
    const scope = `export:${customerId}`;
    const ring = await cursorKeys();
    const decoded = cursor ? decodeCursor(ring, scope, cursor) : undefined;
    if (
      decoded !== undefined &&
      (typeof decoded !== 'object' ||
        decoded === null ||
        (decoded as Item).pk !== customerPartition(customerId) ||
        typeof (decoded as Item).sk !== 'string')
    ) {
      throw invalidCursorError();
    }
    const start = decoded as Item | undefined;
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': customerPartition(customerId) },
        Limit: EXPORT_PAGE_ITEMS,
        ConsistentRead: true,
        ExclusiveStartKey: start as Item | undefined,
      }),
    );
    const sections: Record<string, Item[]> = {};
    const add = (section: string, item: Item) => {
      sections[section] ??= [];
      sections[section].push(item);
    };
    for (const item of out.Items ?? []) {
      const section = exportSectionOf(item.entity);
      if (section) add(section, entityOf<Item>(item));
    }
    if (!start) {
      // The first page also carries the records on other partitions (company links).
      const profile = sections.profile?.[0] as Customer | undefined;
      if (profile?.companyId) {
        const link = await client.send(
          new GetCommand({ TableName: tableName, Key: companyContactKey(profile.companyId, customerId) }),
        );
        const section = exportSectionOf('companyContact');
        if (link.Item && section) add(section, entityOf<Item>(link.Item));
      }
    }
    const last = out.LastEvaluatedKey;
    return {
      sections,
      nextCursor: last ? encodeCursor(ring, scope, { pk: last.pk, sk: last.sk }) : null,
    };
  },
});

/** The customer is no longer binned and due (restored), or its purge was requested already. */
class NotPurgeableError extends Error {
  constructor() {
    super('not binned and due, or already requested');
    this.name = 'NotPurgeableError';
  }
}

/**
 * A purge request for a customer the table holds neither a tombstone nor a profile for: an event
 * from elsewhere (another stage's archive) or state removed by hand. Thrown, so the event is
 * retried and then lands in the rule's DLQ for a look, instead of being dropped silently.
 */
export class PurgeRequestMissingError extends Error {
  constructor(readonly customerId: string) {
    super(`no purge request (tombstone) and no profile for customer ${customerId}`);
    this.name = 'PurgeRequestMissingError';
  }
}

/** The company link was removed by an earlier purge attempt. */
class LinkGoneError extends Error {
  constructor() {
    super('company link already removed');
    this.name = 'LinkGoneError';
  }
}
