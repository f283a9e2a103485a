/**
 * THE erasure registry: every kind of item Relay stores (its `entity` attribute), whether it can
 * hold a customer's personal data, how a purge removes it and where an export puts it. The purge
 * (`shared/db/erasure-store.ts`) and the export are driven by this table, and a test scans the
 * source for every `entity` written and fails when one is missing here
 * (test/unit/privacy/registry.test.ts). A new capability adds its item types here.
 */

export type ErasureRule =
  /** On the customer's partition `CUS#<id>`: deleted with the partition, page by page. */
  | { kind: 'customerPartition' }
  /** A unique-value guard pointing at the customer (`customerId`): deleted conditionally. */
  | { kind: 'guard' }
  /** A link item on another record's partition (company ↔ contact): unlinked with its counter. */
  | { kind: 'link' }
  /**
   * Found by a bounded Query with a filter (e.g. idempotency records on 8 partitions that live 24 h
   * and may echo a customer's record in the stored response).
   */
  | { kind: 'filteredQuery' }
  /** Kept: the tombstone itself, the non-identifying proof that a purge or erasure happened. */
  | { kind: 'proof' }
  /** Holds no personal data of a customer (why is stated in `reason`). */
  | { kind: 'none'; reason: string };

export interface RegisteredItem {
  description: string;
  erasure: ErasureRule;
  /** Section of `GET /customers/{id}/export` the item appears in (customer data only). */
  exportSection?: string;
}

export const itemRegistry = {
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
  companyContact: {
    description: 'Company ↔ contact link',
    erasure: { kind: 'link' },
    exportSection: 'companyLinks',
  },
  idempotency: {
    description: 'Powertools idempotency record (its stored response may echo the customer, 24 h)',
    erasure: { kind: 'filteredQuery' },
  },
  customerTombstone: {
    description: 'Purge or erasure request and its proof (id, reason category, times)',
    erasure: { kind: 'proof' },
    exportSection: 'erasure',
  },
  company: {
    description: 'Company profile',
    erasure: { kind: 'none', reason: 'an organisation, not a person; its contacts are linked, not embedded' },
  },
  uniqueDomain: {
    description: 'Unique-domain guard of a company',
    erasure: { kind: 'none', reason: 'the domain of a company, not of a person' },
  },
  config: {
    description: 'Deployment settings (attribute definitions)',
    erasure: { kind: 'none', reason: 'deployment configuration, no customer values' },
  },
  dedupe: {
    description: 'Event consumer dedupe record',
    erasure: { kind: 'none', reason: 'an event id and a status only' },
  },
  webhook: {
    description: 'Webhook subscription',
    erasure: { kind: 'none', reason: 'an integrator endpoint' },
  },
  auditEntry: {
    description: 'Audit log entry (who changed what and when)',
    erasure: {
      kind: 'none',
      reason:
        'ids, the action and changed field NAMES with the staff user’s sub, role and IP: no customer values; kept after an erasure as the record that it happened (ADR 0009)',
    },
  },
  webhookDelivery: {
    description: 'Webhook delivery record',
    erasure: {
      kind: 'none',
      reason:
        'holds the event it delivers, which carries ids and field names only (thin events, docs/events.md), and expires after 30 days',
    },
  },
} as const satisfies Record<string, RegisteredItem>;

export type EntityType = keyof typeof itemRegistry;

export const isRegisteredEntity = (entity: string): entity is EntityType =>
  Object.hasOwn(itemRegistry, entity);

/** The export section of an item's entity, or undefined when it is not exported. */
export const exportSectionOf = (entity: unknown): string | undefined => {
  if (typeof entity !== 'string' || !isRegisteredEntity(entity)) return undefined;
  const registered: RegisteredItem = itemRegistry[entity];
  return registered.exportSection;
};
