/**
 * The toolkit a capability's stream mappers are written with (`shared/capabilities/<name>/data.ts`).
 * A mapper turns one DynamoDB stream record (`NEW_AND_OLD_IMAGES`) of ONE item type into the domain
 * events it means; `shared/events/from-stream.ts` dispatches each record to the mapper of its
 * `entity`. Event ids are derived from the stream record, so a replayed record yields the same ids
 * (consumers drop the duplicates), and every event is validated against its contract here.
 */
import '#shared/zod-locale';
import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, AttributeValue as StreamAttributeValue } from 'aws-lambda';
import type { EventContract } from '#events/contract';
import { entityOf } from '#shared/db/dynamo';
import { sameValue } from '#shared/domain/common/values';
import { logger } from '#shared/http/logger';

export type Item = Record<string, unknown>;

/** A validated domain event, ready to be put on the bus. */
export interface DomainEvent {
  contract: EventContract;
  detail: Record<string, unknown> & { eventId: string };
}

/** One stream record with its images unmarshalled (table keys included). */
export interface StreamChange {
  record: DynamoDBRecord;
  eventName: DynamoDBRecord['eventName'];
  before: Item | undefined;
  after: Item | undefined;
}

/** The events one change of one item type means (zero or more). */
export type StreamMapper = (change: StreamChange) => DomainEvent[];

/** A stream record that cannot produce a valid event: a bug, reported as a batch item failure. */
export class EventMappingError extends Error {
  constructor(
    message: string,
    readonly eventID: string | undefined,
    readonly detailType: string,
    readonly issues: ReadonlyArray<{ path: string; code: string }>,
  ) {
    super(message);
    this.name = 'EventMappingError';
  }
}

/** First 32 hex characters of sha256(`<stream eventID>|<detailType>`): the same change, the same id. */
export const eventIdFor = (streamEventId: string, detailType: string): string =>
  createHash('sha256').update(`${streamEventId}|${detailType}`).digest('hex').slice(0, 32);

const imageOf = (image: Record<string, StreamAttributeValue> | undefined): Item | undefined =>
  // The stream's and the SDK's AttributeValue describe the same wire format.
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

export const changeOf = (record: DynamoDBRecord): StreamChange => ({
  record,
  eventName: record.eventName,
  before: imageOf(record.dynamodb?.OldImage),
  after: imageOf(record.dynamodb?.NewImage),
});

/** Fields that change on every edit and so say nothing about what was edited. */
export const bookkeepingFields: ReadonlySet<string> = new Set(['updatedAt', 'version']);

/** Top-level fields whose values differ, sorted, ignoring `skip`. */
export const changedFields = (before: Item, after: Item, skip: ReadonlySet<string>): string[] =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((field) => !skip.has(field) && !sameValue(before[field], after[field]))
    .sort();

/** When the stream saw the change (for removals, which have no item time of their own). */
export const approximateTime = (record: DynamoDBRecord): string | undefined => {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
};

/** The item's own time of its last change: `updatedAt`, else `recordedAt`, else `createdAt`. */
export const itemTime = (item: Item): string | undefined => {
  for (const field of ['updatedAt', 'recordedAt', 'createdAt']) {
    const value = item[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
};

/** Only a user edit bumps `version`; counter updates leave it unchanged. */
export const versionIncreased = (before: Item, after: Item): boolean =>
  typeof before.version === 'number' && typeof after.version === 'number' && after.version > before.version;

/**
 * The non-personal facts an event carries beside the ids, by field name (thin events,
 * docs/adr/0011): never names, emails, phones, free text or attribute values. Each capability
 * lists its allow-list next to its mapper; adding a field there is a new optional event field.
 */
export const routingFacts = (item: Item, fields: readonly string[]): Item =>
  Object.fromEntries(fields.flatMap((field) => (item[field] === undefined ? [] : [[field, item[field]]])));

/**
 * The event `contract` for `change`, with metadata (id, version, time) added and the detail
 * validated. `occurredAt` defaults to the stream's time. Throws `EventMappingError` (paths and
 * codes only: the item's values may carry personal data) when the detail is not valid.
 */
export const eventFrom = (
  change: StreamChange,
  contract: EventContract,
  occurredAt: string | undefined,
  data: Item,
): DomainEvent => {
  const { record } = change;
  const streamEventId = record.eventID;
  if (!streamEventId) {
    throw new EventMappingError('stream record has no eventID', undefined, contract.detailType, []);
  }
  const candidate = {
    eventId: eventIdFor(streamEventId, contract.detailType),
    schemaVersion: contract.version,
    occurredAt: occurredAt ?? approximateTime(record),
    ...data,
  };
  const parsed = contract.detail.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
    logger.error('Stream record does not produce a valid event', {
      streamEventId,
      detailType: contract.detailType,
      issues,
    });
    throw new EventMappingError(
      `stream record ${streamEventId} does not produce a valid ${contract.detailType} event`,
      streamEventId,
      contract.detailType,
      issues,
    );
  }
  return { contract, detail: parsed.data as DomainEvent['detail'] };
};

/** The events of a record with a recycle bin (customers, companies), by what happened to it. */
export interface BinnableRecordEvents {
  created: EventContract;
  updated: EventContract;
  /** Moved to the recycle bin (`deletedAt` set). */
  deleted: EventContract;
  /** Back from the recycle bin (`deletedAt` removed). */
  restored: EventContract;
  /** The item removed: only its purge removes a binnable record. */
  purged: EventContract;
}

/**
 * The mapper of a profile item with optimistic locking and a recycle bin:
 *
 * | change                                   | event                                      |
 * | ---------------------------------------- | ------------------------------------------ |
 * | INSERT                                   | created (id + routing facts)               |
 * | MODIFY, version up, `deletedAt` set      | deleted (id, version, purgeAt)             |
 * | MODIFY, version up, `deletedAt` removed  | restored (id, version)                     |
 * | MODIFY, version up, other fields changed | updated (id, previousVersion, changedFields, facts) |
 * | MODIFY without a version bump            | — (counters maintained by other writers)   |
 * | REMOVE                                   | purged (id)                                |
 */
export const binnableRecordMapper =
  (options: {
    idField: string;
    /** The routing facts (allow-list) created and updated carry. */
    facts: readonly string[];
    /** Fields never reported in `changedFields` (bookkeeping, counters of other writers). */
    skip: ReadonlySet<string>;
    events: BinnableRecordEvents;
  }): StreamMapper =>
  (change) => {
    const { idField, facts, skip, events } = options;
    const { before, after } = change;
    switch (change.eventName) {
      case 'INSERT': {
        if (!after) return [];
        const current = entityOf<Item>(after);
        return [
          eventFrom(change, events.created, itemTime(after), {
            [idField]: current.id,
            ...routingFacts(current, facts),
          }),
        ];
      }
      case 'MODIFY': {
        if (!before || !after || !versionIncreased(before, after)) return [];
        const previous = entityOf<Item>(before);
        const current = entityOf<Item>(after);
        const ids = { [idField]: current.id, version: current.version };
        if (previous.deletedAt === undefined && current.deletedAt !== undefined) {
          const purgeAt = typeof current.purgeAt === 'string' ? { purgeAt: current.purgeAt } : {};
          return [eventFrom(change, events.deleted, itemTime(after), { ...ids, ...purgeAt })];
        }
        if (previous.deletedAt !== undefined && current.deletedAt === undefined) {
          return [eventFrom(change, events.restored, itemTime(after), ids)];
        }
        const fields = changedFields(previous, current, skip);
        // A version bump that changed nothing observable (a no-op save) is not an update.
        if (fields.length === 0) return [];
        return [
          eventFrom(change, events.updated, itemTime(after), {
            [idField]: current.id,
            previousVersion: previous.version,
            changedFields: fields,
            ...routingFacts(current, facts),
          }),
        ];
      }
      case 'REMOVE':
        // The removal happened when the stream saw it, not when the item was last edited.
        return before
          ? [
              eventFrom(change, events.purged, approximateTime(change.record) ?? itemTime(before), {
                [idField]: before.id,
              }),
            ]
          : [];
      default:
        return [];
    }
  };
