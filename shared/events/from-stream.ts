/**
 * Pure mapping from a DynamoDB stream record (`NEW_AND_OLD_IMAGES`) to the domain events it means.
 * The stream record itself is the outbox: every committed change of a profile or timeline item
 * becomes zero or more events, with ids derived from the record so a replayed record yields the
 * same ids (consumers drop the duplicates).
 *
 * | item (`entity`)  | INSERT                                        | MODIFY (version increased) | REMOVE           |
 * | ---------------- | --------------------------------------------- | -------------------------- | ---------------- |
 * | `customer`       | customer.created                              | customer.updated; customer.deleted when `deletedAt` is set (recycle bin), customer.restored when removed | customer.purged |
 * | `company`        | company.created                               | company.updated            | company.deleted  |
 * | `timelineEntry`  | timeline.entry_added (+ customer.lifecycle_changed for `lifecycle_change`) | — | — |
 * | `customerTombstone` | customer.purge_requested                   | —                          | —                |
 * | `customerStats`  | customer.stats_changed                        | customer.stats_changed (aggregates other than entryCounts changed) | — |
 *
 * Everything else (stats, guards, links, settings, idempotency and dedupe records) maps to nothing.
 */
import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, AttributeValue as StreamAttributeValue } from 'aws-lambda';
import {
  type CatalogEvent,
  companyCreated,
  companyDeleted,
  companyUpdated,
  customerCreated,
  customerDeleted,
  customerLifecycleChanged,
  customerPurged,
  customerPurgeRequested,
  customerRestored,
  customerStatsChanged,
  customerUpdated,
  timelineEntryAdded,
} from '#events/catalog';
import { entityOf } from '#shared/db/dynamo';
import { customerIdOfPartition } from '#shared/db/keys';
import { sameValue } from '#shared/domain/common/values';
import { logger } from '#shared/http/logger';

type Item = Record<string, unknown>;

/** A validated domain event, ready to be put on the bus. */
export interface DomainEvent {
  contract: CatalogEvent;
  detail: Record<string, unknown> & { eventId: string };
}

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

/** Fields that change on every edit and so say nothing about what was edited. */
const bookkeepingFields: ReadonlySet<string> = new Set(['updatedAt', 'version']);
/** Company attributes maintained by other writers (contact links), never part of a user edit. */
const companyCounterFields: ReadonlySet<string> = new Set(['contactsCount']);

/** First 32 hex characters of sha256(`<stream eventID>|<detailType>`): the same change, the same id. */
export const eventIdFor = (streamEventId: string, detailType: string): string =>
  createHash('sha256').update(`${streamEventId}|${detailType}`).digest('hex').slice(0, 32);

const imageOf = (image: Record<string, StreamAttributeValue> | undefined): Item | undefined =>
  // The stream's and the SDK's AttributeValue describe the same wire format.
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

const same = sameValue;

/** Top-level fields whose values differ, sorted, ignoring `skip`. */
export const changedFields = (before: Item, after: Item, skip: ReadonlySet<string>): string[] =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((field) => !skip.has(field) && !same(before[field], after[field]))
    .sort();

const approximateTime = (record: DynamoDBRecord): string | undefined => {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
};

const itemTime = (item: Item): string | undefined => {
  for (const field of ['updatedAt', 'recordedAt', 'createdAt']) {
    const value = item[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
};

const build = (
  record: DynamoDBRecord,
  contract: CatalogEvent,
  itemOccurredAt: string | undefined,
  data: Item,
): DomainEvent => {
  const occurredAt = itemOccurredAt ?? approximateTime(record);
  const streamEventId = record.eventID;
  if (!streamEventId) {
    throw new EventMappingError('stream record has no eventID', undefined, contract.detailType, []);
  }
  const candidate = {
    eventId: eventIdFor(streamEventId, contract.detailType),
    schemaVersion: contract.version,
    occurredAt,
    ...data,
  };
  const parsed = contract.detail.safeParse(candidate);
  if (!parsed.success) {
    // Paths and codes only: the item's values may carry personal data.
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

/**
 * The non-personal facts an event carries beside the ids, by field name (thin events,
 * docs/adr/0008-thin-events.md): never names, emails, phones, free text or attribute values.
 * Adding a field here is a new optional field of the event: compatible (events/schemas/).
 */
const customerFacts = ['version', 'lifecycleStage', 'ownerId', 'companyId', 'channel'] as const;
const companyFacts = ['version', 'ownerId'] as const;
const entryFacts = [
  'channel',
  'severity',
  'status',
  'priority',
  'orderId',
  'amount',
  'currency',
  'kind',
  'score',
  'direction',
] as const;

const routingFacts = (item: Item, fields: readonly string[]): Item =>
  Object.fromEntries(fields.flatMap((field) => (item[field] === undefined ? [] : [[field, item[field]]])));

const versionIncreased = (before: Item, after: Item): boolean =>
  typeof before.version === 'number' && typeof after.version === 'number' && after.version > before.version;

const fromProfile = (
  record: DynamoDBRecord,
  before: Item | undefined,
  after: Item | undefined,
  kind: 'customer' | 'company',
): DomainEvent[] => {
  const idField = kind === 'customer' ? 'customerId' : 'companyId';
  const [created, updated, deleted] =
    kind === 'customer'
      ? [customerCreated, customerUpdated, customerDeleted]
      : [companyCreated, companyUpdated, companyDeleted];
  switch (record.eventName) {
    case 'INSERT': {
      if (!after) return [];
      const entity = entityOf<Item>(after);
      return [
        build(record, created, itemTime(after), {
          [idField]: entity.id,
          ...routingFacts(entity, kind === 'customer' ? customerFacts : companyFacts),
        }),
      ];
    }
    case 'MODIFY': {
      // Only a user edit bumps `version`; counter updates (contactsCount) leave it unchanged.
      if (!before || !after || !versionIncreased(before, after)) return [];
      const previous = entityOf<Item>(before);
      const current = entityOf<Item>(after);
      // The recycle bin: `deletedAt` set = deleted, removed = restored (customers).
      if (kind === 'customer' && previous.deletedAt === undefined && current.deletedAt !== undefined) {
        return [
          build(record, customerDeleted, itemTime(after), {
            customerId: current.id,
            version: current.version,
            ...(typeof current.purgeAt === 'string' ? { purgeAt: current.purgeAt } : {}),
          }),
        ];
      }
      if (kind === 'customer' && previous.deletedAt !== undefined && current.deletedAt === undefined) {
        return [
          build(record, customerRestored, itemTime(after), {
            customerId: current.id,
            version: current.version,
          }),
        ];
      }
      const skip =
        kind === 'company' ? new Set([...bookkeepingFields, ...companyCounterFields]) : bookkeepingFields;
      const fields = changedFields(previous, current, skip);
      // A version bump that changed nothing observable (a no-op save) is not an update.
      if (fields.length === 0) return [];
      return [
        build(record, updated, itemTime(after), {
          [idField]: current.id,
          previousVersion: previous.version,
          changedFields: fields,
          ...routingFacts(current, kind === 'customer' ? customerFacts : companyFacts),
        }),
      ];
    }
    case 'REMOVE': {
      if (!before) return [];
      // A customer profile is only removed by its purge (deleting moves it to the recycle bin).
      if (kind === 'customer') {
        return [
          build(record, customerPurged, approximateTime(record) ?? itemTime(before), {
            customerId: before.id,
          }),
        ];
      }
      // The deletion happened when the record was written, not when the item was last edited.
      return [
        build(record, deleted, approximateTime(record) ?? itemTime(before), {
          [idField]: before.id,
          version: before.version,
        }),
      ];
    }
    default:
      return [];
  }
};

const fromTimelineEntry = (record: DynamoDBRecord, after: Item | undefined): DomainEvent[] => {
  if (record.eventName !== 'INSERT' || !after) return [];
  const entry = entityOf<Item>(after);
  const events = [
    build(record, timelineEntryAdded, itemTime(after), {
      customerId: entry.customerId,
      entryId: entry.id,
      type: entry.type,
      // The contract's `occurredAt` is the interaction's own time.
      occurredAt: entry.occurredAt,
      ...routingFacts(entry, entryFacts),
    }),
  ];
  if (entry.type === 'lifecycle_change') {
    events.push(
      build(record, customerLifecycleChanged, itemTime(after), {
        customerId: entry.customerId,
        entryId: entry.id,
        from: entry.from ?? null,
        to: entry.to,
        ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      }),
    );
  }
  return events;
};

/** Aggregates as numbers for projections; `entryCounts` changes alone say nothing a rule needs. */
const statsNoise: ReadonlySet<string> = new Set(['entryCounts', 'customerId']);

const fromStats = (
  record: DynamoDBRecord,
  before: Item | undefined,
  after: Item | undefined,
): DomainEvent[] => {
  if (!after || (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY')) return [];
  const current = entityOf<Item>(after);
  const fields = changedFields(before ? entityOf<Item>(before) : {}, current, statsNoise);
  if (fields.length === 0) return [];
  const customerId = customerIdOfPartition(String(after.pk));
  const optional = (field: string) => (current[field] === undefined ? {} : { [field]: current[field] });
  return [
    build(record, customerStatsChanged, approximateTime(record), {
      customerId,
      changedFields: fields,
      ordersCount: Number(current.ordersCount ?? 0),
      revenueMinor: (current.revenueMinor ?? {}) as Record<string, number>,
      complaintsCount: Number(current.complaintsCount ?? 0),
      openComplaints: Number(current.openComplaints ?? 0),
      needsAttention: current.needsAttention === true,
      ...optional('openSeriousComplaints'),
      ...optional('lastOrderAt'),
      ...optional('lastContactAt'),
    }),
  ];
};

const fromTombstone = (record: DynamoDBRecord, after: Item | undefined): DomainEvent[] => {
  if (record.eventName !== 'INSERT' || !after) return [];
  return [
    build(
      record,
      customerPurgeRequested,
      typeof after.requestedAt === 'string' ? after.requestedAt : undefined,
      {
        customerId: after.customerId,
        reason: after.reason,
      },
    ),
  ];
};

/**
 * The item types whose changes are domain events. CDK filters the stream on this list
 * (`infra/constructs/event-backbone.ts`), so the publisher is not even invoked for the rest.
 */
export const publishedEntities = [
  'customer',
  'company',
  'timelineEntry',
  'customerTombstone',
  'customerStats',
] as const;

/**
 * The domain events a stream record means (zero or more), each validated against its contract.
 * Throws `EventMappingError` when a record should produce an event but cannot produce a valid one.
 */
export const eventsFromRecord = (record: DynamoDBRecord): DomainEvent[] => {
  const before = imageOf(record.dynamodb?.OldImage);
  const after = imageOf(record.dynamodb?.NewImage);
  const entity = (after ?? before)?.entity;
  switch (entity) {
    case 'customer':
      return fromProfile(record, before, after, 'customer');
    case 'company':
      return fromProfile(record, before, after, 'company');
    case 'timelineEntry':
      return fromTimelineEntry(record, after);
    case 'customerTombstone':
      return fromTombstone(record, after);
    case 'customerStats':
      return fromStats(record, before, after);
    default:
      return [];
  }
};
