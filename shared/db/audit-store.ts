/**
 * The audit log on the one table (docs/adr/0009-audit-log.md): written by the stream publisher
 * from the table's own stream (`auditStreamRecords`), read by `GET /audit` (`createAuditStore`).
 *
 * One item per entry: `AUDIT#<entityType>#<entityId>` / `<at>#<auditId>` (an entity's trail), and
 * on gsi1 `AUDITBY#<actorType>#<actorId>#<shard>` / `<at>#<auditId>` (an actor's writes, sharded).
 * The key derives from the stream record, so a retried record overwrites its entry with itself.
 * `expiresAt` (TTL) = `at` + the stage's `auditRetentionDays`.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, AttributeValue as StreamAttributeValue } from 'aws-lambda';
import type { CursorKeys } from '#shared/db/cursor';
import { entityOf } from '#shared/db/dynamo';
import {
  AUDIT_ACTOR_SHARDS,
  auditActorKeys,
  auditActorShard,
  auditEntryKey,
  auditPartition,
} from '#shared/db/keys';
import { type Page, queryPage, queryShardedPage } from '#shared/db/pagination';
import { auditEntryOf } from '#shared/domain/audit/mapping';
import type { AuditEntry, AuditQuery } from '#shared/domain/audit/schemas';
import type { AuditStore } from '#shared/domain/audit/store';
import { logger } from '#shared/http/logger';

type Item = Record<string, unknown>;

const imageOf = (image: Record<string, StreamAttributeValue> | undefined): Item | undefined =>
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

/** DynamoDB's TTL deletions are REMOVE records by the service principal. */
const isTtlDeletion = (record: DynamoDBRecord): boolean =>
  (record.userIdentity as { type?: string; principalId?: string } | undefined)?.principalId ===
  'dynamodb.amazonaws.com';

/** The audit entry of one stream record (undefined: not audited). Throws `AuditMappingError`. */
export const auditEntryOfRecord = (record: DynamoDBRecord): AuditEntry | undefined => {
  const { eventID, eventName } = record;
  if (!eventID || (eventName !== 'INSERT' && eventName !== 'MODIFY' && eventName !== 'REMOVE'))
    return undefined;
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return auditEntryOf({
    eventID,
    eventName,
    approximateAt: seconds === undefined ? undefined : new Date(seconds * 1000).toISOString(),
    byTtl: isTtlDeletion(record),
    before: imageOf(record.dynamodb?.OldImage),
    after: imageOf(record.dynamodb?.NewImage),
  });
};

/** `AUDIT_RETENTION_DAYS` (stage config `auditRetentionDays`), read once and checked (1–3650). */
export const auditRetentionDays = (): number => {
  const raw = process.env.AUDIT_RETENTION_DAYS;
  const days = Number(raw);
  if (!raw || !Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error('AUDIT_RETENTION_DAYS must be a whole number of days between 1 and 3650');
  }
  return days;
};

export const auditItem = (entry: AuditEntry, retentionDays: number): Item => ({
  ...auditEntryKey(entry.entityType, entry.entityId, entry.at, entry.auditId),
  ...auditActorKeys(entry.actor.type, entry.actor.id, entry.at, entry.auditId),
  entity: 'auditEntry',
  ...entry,
  expiresAt: Math.floor(Date.parse(entry.at) / 1000) + retentionDays * 86_400,
});

export interface AuditWriterDeps {
  client: DynamoDBDocumentClient;
  tableName: string;
  retentionDays: number;
  /** BatchWriteItem rounds for unprocessed items before a record counts as failed (default 6). */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Writes the audit entries of a stream batch (BatchWriteItem, 25 per request, unprocessed items
 * retried with backoff) and returns the index of the first record that could not be audited
 * (`records.length` when all were): a record whose mapping failed, or whose entry is still
 * unwritten after the retries. Entries of records before that index are written.
 */
export const auditStreamRecords = async (
  records: readonly DynamoDBRecord[],
  deps: AuditWriterDeps,
): Promise<number> => {
  let firstFailed = records.length;
  const pending: Array<{ index: number; item: Item }> = [];
  for (const [index, record] of records.entries()) {
    try {
      const entry = auditEntryOfRecord(record);
      if (entry) pending.push({ index, item: auditItem(entry, deps.retentionDays) });
    } catch (error) {
      logger.error('Stream record could not be mapped to an audit entry', {
        streamEventId: record.eventID,
        error: error instanceof Error ? error.name : 'UnknownError',
        ...(error instanceof Error && 'issues' in error ? { issues: error.issues } : {}),
      });
      firstFailed = index;
      break;
    }
  }
  const sleep = deps.sleep ?? defaultSleep;
  const attempts = deps.attempts ?? 6;
  const writable = pending.filter((p) => p.index < firstFailed);
  for (let i = 0; i < writable.length; i += 25) {
    let chunk = writable.slice(i, i + 25);
    for (let attempt = 1; chunk.length > 0; attempt++) {
      if (attempt > attempts) {
        firstFailed = Math.min(firstFailed, ...chunk.map((p) => p.index));
        break;
      }
      if (attempt > 1) await sleep(25 * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      try {
        const out = await deps.client.send(
          new BatchWriteCommand({
            RequestItems: { [deps.tableName]: chunk.map((p) => ({ PutRequest: { Item: p.item } })) },
          }),
        );
        const unprocessed = new Set(
          (out.UnprocessedItems?.[deps.tableName] ?? []).map(
            (r) => `${r.PutRequest?.Item?.pk}\u0000${r.PutRequest?.Item?.sk}`,
          ),
        );
        chunk = chunk.filter((p) => unprocessed.has(`${p.item.pk}\u0000${p.item.sk}`));
      } catch (error) {
        logger.warn('Audit BatchWriteItem failed', {
          error: error instanceof Error ? error.name : 'UnknownError',
          attempt,
        });
      }
    }
  }
  if (firstFailed < records.length) {
    logger.warn('Audit entries not written; the batch is reported from the first failed record', {
      records: records.length,
      firstFailedIndex: firstFailed,
    });
  }
  return firstFailed;
};

/** The read side of `GET /audit`. */
export const createAuditStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  cursorKeys: CursorKeys,
): AuditStore => ({
  async list(query: AuditQuery): Promise<Page<AuditEntry>> {
    if (query.actor !== undefined) {
      const page = await queryShardedPage(client, {
        tableName,
        indexName: 'gsi1',
        partitionKeyName: 'gsi1pk',
        sortKeyName: 'gsi1sk',
        shardPartitions: Array.from({ length: AUDIT_ACTOR_SHARDS }, (_, shard) =>
          auditActorShard(query.actorType, query.actor as string, shard),
        ),
        keyAttributes: ['gsi1pk', 'gsi1sk', 'pk', 'sk'],
        limit: query.limit,
        cursor: query.cursor,
        cursorContext: { keys: cursorKeys, scope: `audit:actor:${query.actorType}:${query.actor}` },
      });
      return { items: page.items.map((item) => entityOf<AuditEntry>(item)), nextCursor: page.nextCursor };
    }
    const partition = auditPartition(query.entityType as string, query.entityId as string);
    const page = await queryPage(
      client,
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
      },
      {
        limit: query.limit,
        cursor: query.cursor,
        cursorContext: { keys: cursorKeys, scope: `audit:entity:${partition}` },
        partitionKeyName: 'pk',
        partitionKeyValue: partition,
      },
    );
    return { items: page.items.map((item) => entityOf<AuditEntry>(item)), nextCursor: page.nextCursor };
  },
});
