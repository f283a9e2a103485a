/**
 * The ONE key module. Every key string in Relay is built here and nowhere else; the prefixes
 * below are the single list that keeps entity types from colliding. Functions are named for the
 * access pattern they serve. docs/access-patterns.md lists each pattern with its key condition.
 */
import { createHash } from 'node:crypto';

export const prefixes = {
  customer: 'CUS#',
  company: 'COM#',
  event: 'EVT#',
  eventType: 'EVTTYPE#',
  customerList: 'CUSLIST#',
  companyList: 'COMLIST#',
  uniqueEmail: 'UNIQ#EMAIL#',
  uniqueDomain: 'UNIQ#DOMAIN#',
  config: 'CONFIG#',
  idempotency: 'IDEMPOTENCY#',
  dedupe: 'DEDUPE#',
  webhook: 'WH#',
  delivery: 'DLV#',
  deliveryStatus: 'DLVSTATUS#',
  template: 'TPL#',
  templateVersion: 'TPLV#',
  uniqueTemplateName: 'UNIQ#TPLNAME#',
  /** Summary items shown by the 360 view (`S#<kind>`), reserved: see `customerPartitionKinds`. */
  viewSummary: 'S#',
  /** Per-order state; under HIDDEN_NAMESPACE, outside the 360 view. */
  order: 'Z#ORD#',
  entryById: 'ENTRY#',
  segment: 'SEG#',
  campaign: 'CMP#',
  send: 'SEND#',
  recycleBin: 'BIN#',
  /** Binned companies (`COMBIN#<shard>`), apart from the customers' bin: swept by their own purge. */
  companyRecycleBin: 'COMBIN#',
  /** Account-level suppression list entry, one per address (`SUPP#<address>`). */
  suppression: 'SUPP#',
  /** All suppressions, newest first (`SUPPLIST#<shard>` on gsi2). */
  suppressionList: 'SUPPLIST#',
  // ── audit log (part C) ──
  audit: 'AUDIT#',
  auditByActor: 'AUDITBY#',
  // ── end audit log ──
} as const;

/** Sort keys of the singleton items on a customer or company partition. */
export const sortKeys = {
  profile: 'PROFILE',
  /**
   * Aggregates for the 360 view. `STATS` > `PROFILE` > `EVT#…` in byte order, so one descending
   * Query on the customer partition returns stats, profile and then the newest timeline entries.
   */
  stats: 'STATS',
  unique: 'UNIQ',
  /** Purge/erasure request and proof on a customer or company partition (outside the 360 view). */
  tombstone: 'TOMBSTONE',
} as const;

/** Number of write shards for the "all customers" / "all companies" lists (hot-partition guard). */
export const LIST_SHARDS = 4;

export interface Key {
  pk: string;
  sk: string;
}

/** Shard in [0, LIST_SHARDS) derived from the id, so an item always lands on the same shard. */
export const shardOf = (id: string): number =>
  createHash('sha1').update(id).digest().readUInt8(0) % LIST_SHARDS;

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
export const normalizeDomain = (domain: string): string =>
  domain
    .trim()
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/\.$/, '');

// ── customers ────────────────────────────────────────────────────────────────────────────────
export const customerPartition = (customerId: string): string => `${prefixes.customer}${customerId}`;
/** The customer id of a `CUS#<id>` partition key (items that do not carry their id, e.g. STATS). */
export const customerIdOfPartition = (pk: string): string | undefined =>
  pk.startsWith(prefixes.customer) ? pk.slice(prefixes.customer.length) : undefined;
/** Customer profile by id. */
export const customerProfileKey = (customerId: string): Key => ({
  pk: customerPartition(customerId),
  sk: sortKeys.profile,
});
/** Customer aggregates (orders, revenue, complaints, last contact) read with the profile. */
export const customerStatsKey = (customerId: string): Key => ({
  pk: customerPartition(customerId),
  sk: sortKeys.stats,
});
/** All customers, newest first: gsi2 on one of LIST_SHARDS shard partitions. */
export const customerListShard = (shard: number): string => `${prefixes.customerList}${shard}`;
export const customerListKeys = (customerId: string) => ({
  gsi2pk: customerListShard(shardOf(customerId)),
  gsi2sk: customerPartition(customerId),
});
/** Unique-email guard item (one per address, across all customers). */
export const uniqueEmailKey = (email: string): Key => ({
  pk: `${prefixes.uniqueEmail}${normalizeEmail(email)}`,
  sk: sortKeys.unique,
});

// ── timeline ─────────────────────────────────────────────────────────────────────────────────
/** Timeline entry on the customer partition, time-ordered: `EVT#<iso>#<ulid>`. */
export const timelineEntryKey = (customerId: string, occurredAt: string, entryId: string): Key => ({
  pk: customerPartition(customerId),
  sk: `${prefixes.event}${occurredAt}#${entryId}`,
});
/** Sort-key bounds of a customer's timeline in a time range (inclusive, ISO-8601 UTC). */
export const timelineRange = (from?: string, to?: string): { start: string; end: string } => ({
  start: `${prefixes.event}${from ?? ''}`,
  // '~' sorts after every character used in ISO timestamps and ULIDs.
  end: `${prefixes.event}${to ?? ''}~`,
});
/** One customer's timeline filtered by entry type, time-ordered: gsi2. */
export const customerTimelineByType = (customerId: string, type: string): string =>
  `${customerPartition(customerId)}#${prefixes.eventType}${type}`;
export const timelineByTypeKeys = (
  customerId: string,
  type: string,
  occurredAt: string,
  entryId: string,
) => ({
  gsi2pk: customerTimelineByType(customerId, type),
  gsi2sk: `${occurredAt}#${entryId}`,
});
/** gsi2 sort-key bounds for a time range within one type. */
export const timelineByTypeRange = (from?: string, to?: string): { start: string; end: string } => ({
  // Key values cannot be empty; '0' sorts before every ISO-8601 timestamp.
  start: from ?? '0',
  end: `${to ?? ''}~`,
});

// ── the customer partition's sort-key namespace ────────────────────────────────────────────
/**
 * The 360 view is ONE descending Query on `CUS#<id>` over `sk BETWEEN VIEW_RANGE.start AND
 * VIEW_RANGE.end` ('EVT#' … 'STATS'). Every kind of item that may sit on a customer partition is
 * declared here with whether the view shows it; a kind the view does not show must sort outside
 * that range, or it would eat the Query's `Limit` (pinned by test/unit/db/keys.test.ts).
 *
 * | kind           | sort key                     | in view | what                                           |
 * | -------------- | ---------------------------- | ------- | ---------------------------------------------- |
 * | stats          | `STATS`                      | yes     | aggregates (upper bound of the view range)     |
 * | summary        | `S#<kind>`                   | yes     | one bounded summary per kind (reserved: consents, segments, scores, deals, cases, nextTask) |
 * | profile        | `PROFILE`                    | yes     | the customer record                            |
 * | timelineEntry  | `EVT#<occurredAt>#<entryId>` | yes     | the newest `latest` entries                    |
 * | hidden         | `Z#<kind>#…`                 | no      | per-order state (`Z#ORD#`), later consent records, memberships, sends |
 * | tombstone      | `TOMBSTONE`                  | no      | purge/erasure request and its proof            |
 */
/** Items on a customer partition that the 360 view does NOT show start with `Z#` (`Z#<kind>#…`). */
export const HIDDEN_NAMESPACE = 'Z#';

export const VIEW_RANGE = { start: prefixes.event, end: sortKeys.stats } as const;

/** Summary kinds the 360 view shows, one singleton item each (`S#<kind>`): `consents` (current subscription state, the consent capability). */
export const viewSummaryKinds = ['consents'] as const satisfies readonly string[];

export interface PartitionKind {
  name: string;
  /** The sort key, or the prefix every sort key of the kind starts with. */
  sortKey: string;
  /** `true` for a single item per partition, `false` for a prefix of many. */
  singleton: boolean;
  inView: boolean;
}

export const customerPartitionKinds: readonly PartitionKind[] = [
  { name: 'stats', sortKey: sortKeys.stats, singleton: true, inView: true },
  { name: 'summary', sortKey: prefixes.viewSummary, singleton: false, inView: true },
  { name: 'profile', sortKey: sortKeys.profile, singleton: true, inView: true },
  { name: 'timelineEntry', sortKey: prefixes.event, singleton: false, inView: true },
  { name: 'hidden', sortKey: HIDDEN_NAMESPACE, singleton: false, inView: false },
  { name: 'tombstone', sortKey: sortKeys.tombstone, singleton: true, inView: false },
];

/**
 * `Limit` of the view Query: the newest `latest` entries plus every singleton the range can hold
 * (stats, profile and one item per summary kind), so no declared item can push an entry out.
 */
export const viewQueryLimit = (latest: number): number => latest + 2 + viewSummaryKinds.length;

/** A summary item shown by the view: `CUS#<id>` / `S#<kind>`. */
export const customerSummaryKey = (customerId: string, kind: (typeof viewSummaryKinds)[number]): Key => ({
  pk: customerPartition(customerId),
  sk: `${prefixes.viewSummary}${kind}`,
});

/** Current state of one order (status, amount) on the customer partition: `CUS#<id>` / `Z#ORD#<orderId>`. */
export const orderKey = (customerId: string, orderId: string): Key => ({
  pk: customerPartition(customerId),
  sk: `${prefixes.order}${orderId}`,
});

/** A customer's purge/erasure tombstone: `CUS#<id>` / `TOMBSTONE`. */
export const customerTombstoneKey = (customerId: string): Key => ({
  pk: customerPartition(customerId),
  sk: sortKeys.tombstone,
});

/**
 * A binned customer on gsi2 instead of its list keys: `BIN#<shard>` / `<purgeAt>#CUS#<id>`, so it
 * drops out of the customer list and the sweeper finds what is due with a Query per shard.
 */
export const recycleBinShard = (shard: number): string => `${prefixes.recycleBin}${shard}`;
export const recycleBinKeys = (customerId: string, purgeAt: string) => ({
  gsi2pk: recycleBinShard(shardOf(customerId)),
  gsi2sk: `${purgeAt}#${customerPartition(customerId)}`,
});
/** gsi2 upper bound of the bin entries due at `now` (every `<purgeAt>` ≤ now). */
export const recycleBinDueUntil = (now: string): string => `${now}#~`;

/** One timeline entry by its id (its sort key holds `occurredAt`): gsi1 `CUS#<id>` / `ENTRY#<entryId>`. */
export const timelineEntryByIdKeys = (customerId: string, entryId: string) => ({
  gsi1pk: customerPartition(customerId),
  gsi1sk: `${prefixes.entryById}${entryId}`,
});

// ── reserved for marketing audience and campaigns (issues 9 and 10) ─────────────────────────
/**
 * Segment members are spread over SEGMENT_SHARDS partitions per segment (a 1M-member segment on
 * one key would be capped at 1,000 WCU); audience resolution Queries every shard in parallel.
 */
export const SEGMENT_SHARDS = 16;
/** Sends of one campaign run, spread like segment members (one send record per recipient). */
export const CAMPAIGN_SEND_SHARDS = 16;

const shardIn = (id: string, shards: number): number =>
  createHash('sha1').update(id).digest().readUInt16BE(0) % shards;

/** A segment member: `SEG#<segmentId>#<shard>` / `CUS#<customerId>`, shard from the customer id. */
export const segmentMemberKey = (segmentId: string, customerId: string): Key => ({
  pk: `${prefixes.segment}${segmentId}#${shardIn(customerId, SEGMENT_SHARDS)}`,
  sk: customerPartition(customerId),
});
/** One recipient's send record of a campaign: `CMP#<campaignId>#<shard>` / `SEND#<customerId>`. */
export const campaignSendKey = (campaignId: string, customerId: string): Key => ({
  pk: `${prefixes.campaign}${campaignId}#${shardIn(customerId, CAMPAIGN_SEND_SHARDS)}`,
  sk: `${prefixes.send}${customerId}`,
});

// ── companies ────────────────────────────────────────────────────────────────────────────────
export const companyPartition = (companyId: string): string => `${prefixes.company}${companyId}`;
export const companyProfileKey = (companyId: string): Key => ({
  pk: companyPartition(companyId),
  sk: sortKeys.profile,
});
export const companyListShard = (shard: number): string => `${prefixes.companyList}${shard}`;
export const companyListKeys = (companyId: string) => ({
  gsi2pk: companyListShard(shardOf(companyId)),
  gsi2sk: companyPartition(companyId),
});
/** Company ↔ contact link: on the company partition (contacts of a company), gsi1 for the reverse. */
export const companyContactKey = (companyId: string, customerId: string): Key => ({
  pk: companyPartition(companyId),
  sk: customerPartition(customerId),
});
export const companyContactReverseKeys = (companyId: string, customerId: string) => ({
  gsi1pk: customerPartition(customerId),
  gsi1sk: companyPartition(companyId),
});
/**
 * A binned company on gsi2 instead of its list keys: `COMBIN#<shard>` / `<purgeAt>#COM#<id>`, so
 * it drops out of the company list and the sweeper finds what is due with a Query per shard.
 */
export const companyRecycleBinShard = (shard: number): string => `${prefixes.companyRecycleBin}${shard}`;
export const companyRecycleBinKeys = (companyId: string, purgeAt: string) => ({
  gsi2pk: companyRecycleBinShard(shardOf(companyId)),
  gsi2sk: `${purgeAt}#${companyPartition(companyId)}`,
});
export const uniqueDomainKey = (domain: string): Key => ({
  pk: `${prefixes.uniqueDomain}${normalizeDomain(domain)}`,
  sk: sortKeys.unique,
});

// ── configuration ────────────────────────────────────────────────────────────────────────────
/** Per-deployment settings item (e.g. custom attribute definitions). */
export const configKey = (name: string): Key => ({ pk: `${prefixes.config}${name}`, sk: sortKeys.profile });

// ── suppression list (consent capability) ─────────────────────────────────────────────────────
/** One suppressed address (normalized): `SUPP#<address>` / `SUPPRESSION`. */
export const suppressionKey = (email: string): Key => ({
  pk: `${prefixes.suppression}${normalizeEmail(email)}`,
  sk: 'SUPPRESSION',
});
/** All suppressions, newest first: gsi2 on one of LIST_SHARDS shard partitions. */
export const suppressionListShard = (shard: number): string => `${prefixes.suppressionList}${shard}`;
export const suppressionListKeys = (email: string, suppressedAt: string) => ({
  gsi2pk: suppressionListShard(shardOf(normalizeEmail(email))),
  gsi2sk: `${suppressedAt}#${normalizeEmail(email)}`,
});

// ── idempotency (Powertools persistence layer in the same table) ─────────────────────────────
/** Partitions the idempotency records are spread over (a purge reads each one). */
export const IDEMPOTENCY_SHARDS = 8;
export const idempotencyPartition = (scope: string): string => `${prefixes.idempotency}${scope}`;

// ── event consumers (dedupe records, one per consumer and event id, TTL on `expiresAt`) ─────────
/**
 * Dedupe records of one consumer are spread over DEDUPE_SHARDS partitions by event id: a burst
 * (an import, a large send) writes one record per event, and one partition key caps at 1,000 WCU.
 */
export const DEDUPE_SHARDS = 16;
/** One shard of a consumer's dedupe records: `DEDUPE#<consumer>#<shard>`. */
export const dedupePartition = (consumer: string, shard: number): string =>
  `${prefixes.dedupe}${consumer}#${shard}`;
/** Dedupe record of one consumer for one event id: `DEDUPE#<consumer>#<shard>` / `<eventId>`. */
export const dedupeKey = (consumer: string, eventId: string): Key => ({
  pk: dedupePartition(consumer, createHash('sha1').update(eventId).digest().readUInt16BE(0) % DEDUPE_SHARDS),
  sk: eventId,
});

// ── webhooks ─────────────────────────────────────────────────────────────────────────────────
/**
 * All webhook subscriptions live in ONE partition. They are few (an integration per partner
 * system, tens at most) and read together by the dispatcher on every event, so a single Query on
 * one partition beats a sharded list; a partition serves 3 000 reads/s, far above the event rate
 * this deployment (one organisation) produces (the dispatcher reads it once per event).
 */
export const WEBHOOKS_PARTITION = 'WEBHOOKS';
export const webhookPartition = (webhookId: string): string => `${prefixes.webhook}${webhookId}`;
/** A webhook subscription: `WEBHOOKS` / `WH#<id>` (list = Query on `WEBHOOKS`, `begins_with WH#`). */
export const webhookKey = (webhookId: string): Key => ({
  pk: WEBHOOKS_PARTITION,
  sk: webhookPartition(webhookId),
});
/** A delivery on its subscription's partition, newest first by ULID: `WH#<id>` / `DLV#<deliveryId>`. */
export const deliveryKey = (webhookId: string, deliveryId: string): Key => ({
  pk: webhookPartition(webhookId),
  sk: `${prefixes.delivery}${deliveryId}`,
});
/** Deliveries of one subscription in one status (e.g. the dead letters), newest first: gsi2. */
export const deliveriesByStatus = (webhookId: string, status: string): string =>
  `${webhookPartition(webhookId)}#${prefixes.deliveryStatus}${status}`;
export const deliveryStatusKeys = (webhookId: string, status: string, deliveryId: string) => ({
  gsi2pk: deliveriesByStatus(webhookId, status),
  gsi2sk: `${prefixes.delivery}${deliveryId}`,
});

// ── templates ────────────────────────────────────────────────────────────────────────────────
/**
 * All email templates live in ONE partition, like webhook subscriptions: an account has tens of
 * templates (hundreds at most), written by hand, so one partition serves the list and the reads.
 */
export const TEMPLATES_PARTITION = 'TEMPLATES';
export const templatePartition = (templateId: string): string => `${prefixes.template}${templateId}`;
/** A template (its latest content): `TEMPLATES` / `TPL#<id>` (list = Query on `TEMPLATES`, `begins_with TPL#`). */
export const templateKey = (templateId: string): Key => ({
  pk: TEMPLATES_PARTITION,
  sk: templatePartition(templateId),
});
/** One immutable content version on the template's partition: `TPL#<id>` / `TPLV#<000001>` (sorted by number). */
export const templateVersionKey = (templateId: string, contentVersion: number): Key => ({
  pk: templatePartition(templateId),
  sk: `${prefixes.templateVersion}${String(contentVersion).padStart(6, '0')}`,
});
/** Unique-name guard of a template (case-insensitive, trimmed): `UNIQ#TPLNAME#<name>` / `UNIQ`. */
export const uniqueTemplateNameKey = (name: string): Key => ({
  pk: `${prefixes.uniqueTemplateName}${name.trim().toLowerCase()}`,
  sk: sortKeys.unique,
});

// ── audit log (part C: docs/adr/0009-audit-log.md) ───────────────────────────────────────────
/** The name of a configuration item from its partition key (`CONFIG#<name>` → `<name>`). */
export const configNameOf = (pk: string): string | undefined =>
  pk.startsWith(prefixes.config) && pk.length > prefixes.config.length
    ? pk.slice(prefixes.config.length)
    : undefined;
/** One entity's audit trail, time-ordered: `AUDIT#<entityType>#<entityId>` / `<at>#<auditId>`. */
export const auditPartition = (entityType: string, entityId: string): string =>
  `${prefixes.audit}${entityType}#${entityId}`;
export const auditEntryKey = (entityType: string, entityId: string, at: string, auditId: string): Key => ({
  pk: auditPartition(entityType, entityId),
  sk: `${at}#${auditId}`,
});
/** Write shards of one actor's audit entries (an import or a consumer can write thousands a minute). */
export const AUDIT_ACTOR_SHARDS = LIST_SHARDS;
/** One actor's audit entries on gsi1, one of AUDIT_ACTOR_SHARDS partitions: `AUDITBY#<type>#<id>#<shard>`. */
export const auditActorShard = (actorType: string, actorId: string, shard: number): string =>
  `${prefixes.auditByActor}${actorType}#${actorId}#${shard}`;
export const auditActorKeys = (actorType: string, actorId: string, at: string, auditId: string) => ({
  gsi1pk: auditActorShard(actorType, actorId, shardOf(auditId)),
  gsi1sk: `${at}#${auditId}`,
});
// ── end audit log ────────────────────────────────────────────────────────────────────────────
