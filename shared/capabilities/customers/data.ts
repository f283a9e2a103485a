/**
 * The customers capability's data: its events, how its item types' stream records map to them,
 * and how each item type is erased and exported (see `../capability-data.ts`).
 *
 * | item (`entity`)     | INSERT                                   | MODIFY                          | REMOVE          |
 * | ------------------- | ---------------------------------------- | ------------------------------- | --------------- |
 * | `customer`          | customer.created                         | customer.updated / deleted (bin) / restored | customer.purged |
 * | `timelineEntry`     | timeline.entry_added (+ customer.lifecycle_changed) | —                    | —               |
 * | `customerTombstone` | customer.purge_requested                 | —                               | —               |
 * | `customerStats`     | customer.stats_changed                   | customer.stats_changed (aggregates other than entryCounts) | — |
 */
import { customerCreated } from '#events/customers/customer-created';
import { customerDeleted } from '#events/customers/customer-deleted';
import { customerLifecycleChanged } from '#events/customers/customer-lifecycle-changed';
import { customerPurgeRequested } from '#events/customers/customer-purge-requested';
import { customerPurged } from '#events/customers/customer-purged';
import { customerRestored } from '#events/customers/customer-restored';
import { customerStatsChanged } from '#events/customers/customer-stats-changed';
import { customerUpdated } from '#events/customers/customer-updated';
import { timelineEntryAdded } from '#events/timeline/timeline-entry-added';
import { defineCapabilityData } from '#shared/capabilities/capability-data';
import { entityOf } from '#shared/db/dynamo';
import { customerIdOfPartition } from '#shared/db/keys';
import {
  approximateTime,
  binnableRecordMapper,
  bookkeepingFields,
  changedFields,
  eventFrom,
  type Item,
  itemTime,
  routingFacts,
  type StreamMapper,
} from '#shared/events/stream-mapping';

/** Routing facts (thin events, ADR 0011): never names, emails, phones, free text or attribute values. */
const customerFacts = ['version', 'lifecycleStage', 'ownerId', 'companyId', 'channel'] as const;
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

const customer = binnableRecordMapper({
  idField: 'customerId',
  facts: customerFacts,
  skip: bookkeepingFields,
  events: {
    created: customerCreated,
    updated: customerUpdated,
    deleted: customerDeleted,
    restored: customerRestored,
    purged: customerPurged,
  },
});

const timelineEntry: StreamMapper = (change) => {
  const { after } = change;
  if (change.eventName !== 'INSERT' || !after) return [];
  const entry = entityOf<Item>(after);
  const events = [
    eventFrom(change, timelineEntryAdded, itemTime(after), {
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
      eventFrom(change, customerLifecycleChanged, itemTime(after), {
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

const customerStats: StreamMapper = (change) => {
  const { before, after } = change;
  if (!after || (change.eventName !== 'INSERT' && change.eventName !== 'MODIFY')) return [];
  const current = entityOf<Item>(after);
  const fields = changedFields(before ? entityOf<Item>(before) : {}, current, statsNoise);
  if (fields.length === 0) return [];
  const optional = (field: string) => (current[field] === undefined ? {} : { [field]: current[field] });
  return [
    eventFrom(change, customerStatsChanged, approximateTime(change.record), {
      customerId: customerIdOfPartition(String(after.pk)),
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

const customerTombstone: StreamMapper = (change) => {
  const { after } = change;
  if (change.eventName !== 'INSERT' || !after) return [];
  const requestedAt = typeof after.requestedAt === 'string' ? after.requestedAt : undefined;
  return [
    eventFrom(change, customerPurgeRequested, requestedAt, {
      customerId: after.customerId,
      reason: after.reason,
    }),
  ];
};

export const customersData = defineCapabilityData({
  name: 'customers',
  events: [
    customerCreated,
    customerUpdated,
    customerDeleted,
    customerRestored,
    customerPurgeRequested,
    customerPurged,
    customerLifecycleChanged,
    customerStatsChanged,
    timelineEntryAdded,
  ],
  streamMappers: { customer, timelineEntry, customerTombstone, customerStats },
  items: {
    customer: {
      description: 'Customer profile (names, emails, phones, attributes)',
      erasure: { kind: 'customerPartition' },
      exportSection: 'profile',
    },
    customerStats: {
      description: 'Aggregates and the attention flag of a customer',
      erasure: { kind: 'customerPartition' },
      exportSection: 'stats',
    },
    timelineEntry: {
      description: 'Timeline entry (interactions, free text)',
      erasure: { kind: 'customerPartition' },
      exportSection: 'timeline',
    },
    order: {
      description: 'Current state of one order',
      erasure: { kind: 'customerPartition' },
      exportSection: 'orders',
    },
    uniqueEmail: {
      description: 'Unique-email guard (the address is its key)',
      erasure: { kind: 'guard' },
    },
    customerTombstone: {
      description: 'Purge or erasure request and its proof (id, reason category, times)',
      erasure: { kind: 'proof' },
      exportSection: 'erasure',
    },
    config: {
      description: 'Deployment settings (attribute definitions)',
      erasure: { kind: 'none', reason: 'deployment configuration, no customer values' },
    },
  },
});
