/**
 * Item change → audit entry: pure (no AWS types; the stream adapter is `shared/db/audit-store.ts`).
 *
 * | item (`entity`)                        | entityType / entityId          | INSERT                              | MODIFY (version raised)                                  | REMOVE  |
 * | -------------------------------------- | ------------------------------ | ----------------------------------- | -------------------------------------------------------- | ------- |
 * | `customer`, `company` (profiles)       | customer / company, `id`       | created                             | updated; `deletedAt` set → deleted; removed → restored   | purged  |
 * | `timelineEntry`                        | customer, `customerId` (+itemId)| created                            | updated                                                  | —       |
 * | `customerTombstone`, `companyTombstone`| customer / company             | erased (reason `erasure`), else purge_requested | —                                           | —       |
 * | `webhook`                              | webhook, `id`                  | created                             | updated                                                  | deleted |
 * | `config`                               | settings, the config name      | created                             | updated                                                  | deleted |
 *
 * An entry carries field NAMES only, never values. The actor is the item's `lastChange`, stamped
 * by the write (see `shared/http/request-context.ts`); a MODIFY whose `lastChange` did not change
 * was written without a stamp and a REMOVE has no new image, so both are attributed to the
 * system: `ttl` for DynamoDB's TTL deletions, else `unattributed`.
 */
import '#shared/zod-locale';
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { configNameOf } from '#shared/db/keys';
import { keyAttributes } from '#shared/db/table';
import {
  type AuditAction,
  type AuditEntityType,
  AuditEntry,
  purgeReasons,
} from '#shared/domain/audit/schemas';
import { sameValue } from '#shared/domain/common/values';
import type { LastChange } from '#shared/http/request-context';

type Item = Record<string, unknown>;

/** The stamp attribute (`LAST_CHANGE` in `shared/db/dynamo.ts`; agreement 3 of issue 7). */
const LAST_CHANGE = 'lastChange';

export interface ItemChange {
  /** The stream record's `eventID`: the entry's id derives from it (a retried record, the same entry). */
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** When the stream record was written (ISO-8601), if known. */
  approximateAt?: string | undefined;
  /** The change is DynamoDB's own TTL deletion. */
  byTtl?: boolean;
  before?: Item | undefined;
  after?: Item | undefined;
}

interface Subject {
  entityType: AuditEntityType;
  entityId: unknown;
  itemId?: unknown;
}

const subjects: Record<string, (item: Item) => Subject> = {
  customer: (item) => ({ entityType: 'customer', entityId: item.id }),
  company: (item) => ({ entityType: 'company', entityId: item.id }),
  timelineEntry: (item) => ({ entityType: 'customer', entityId: item.customerId, itemId: item.id }),
  customerTombstone: (item) => ({ entityType: 'customer', entityId: item.customerId }),
  companyTombstone: (item) => ({ entityType: 'company', entityId: item.companyId }),
  webhook: (item) => ({ entityType: 'webhook', entityId: item.id }),
  config: (item) => ({ entityType: 'settings', entityId: configNameOf(String(item.pk ?? '')) }),
};

/**
 * The item types (`entity` attribute) whose changes are audited. Writes stamp `lastChange` on
 * these, and the stream filter lets their records through to the publisher.
 */
export const auditedEntities = Object.keys(subjects) as readonly string[];
export const isAuditedEntity = (entity: unknown): boolean =>
  typeof entity === 'string' && Object.hasOwn(subjects, entity);

const profiles: ReadonlySet<string> = new Set(['customer', 'company']);
const tombstones: ReadonlySet<string> = new Set(['customerTombstone', 'companyTombstone']);

/** Attributes that are not the entity's own fields, or change on every write. */
const ignoredFields: ReadonlySet<string> = new Set([
  ...keyAttributes,
  'entity',
  'expiresAt',
  'updatedAt',
  'version',
  LAST_CHANGE,
]);

/** A stored item's change that cannot become a valid audit entry (a bug): the record is retried. */
export class AuditMappingError extends Error {
  constructor(
    message: string,
    readonly eventID: string,
    readonly issues: ReadonlyArray<{ path: string; code: string }>,
  ) {
    super(message);
    this.name = 'AuditMappingError';
  }
}

/** First 32 hex characters of sha256(`<stream eventID>|audit`). */
export const auditIdFor = (eventID: string): string =>
  createHash('sha256').update(`${eventID}|audit`).digest('hex').slice(0, 32);

const same = sameValue;

/** Names of the entity fields that differ between two images (sorted; bookkeeping ignored). */
export const auditedFieldChanges = (before: Item, after: Item): string[] =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((field) => !ignoredFields.has(field) && !same(before[field], after[field]))
    .sort();

const StoredLastChange = z.object({
  actor: z.object({ type: z.enum(['user', 'system']), id: z.string().check(z.minLength(1)) }),
  roles: z.optional(z.array(z.string())),
  correlationId: z.optional(z.string()),
  sourceIp: z.optional(z.string()),
  at: z.string().check(z.minLength(1)),
});

const lastChangeOf = (item: Item | undefined): LastChange | undefined => {
  const parsed = StoredLastChange.safeParse(item?.[LAST_CHANGE]);
  return parsed.success ? (parsed.data as LastChange) : undefined;
};

const versionOf = (item: Item | undefined): number | undefined =>
  typeof item?.version === 'number' ? item.version : undefined;

const itemTime = (item: Item | undefined): string | undefined => {
  for (const field of ['updatedAt', 'requestedAt', 'recordedAt', 'createdAt']) {
    const value = item?.[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
};

const actionOf = (
  change: ItemChange,
  entity: string,
): { action: AuditAction; fields: string[] } | undefined => {
  const { before, after } = change;
  switch (change.eventName) {
    case 'INSERT': {
      if (!after) return undefined;
      const fields = auditedFieldChanges({}, after);
      if (tombstones.has(entity))
        return { action: after.reason === 'erasure' ? 'erased' : 'purge_requested', fields };
      return { action: 'created', fields };
    }
    case 'MODIFY': {
      if (!before || !after) return undefined;
      const [was, is] = [versionOf(before), versionOf(after)];
      // Counter updates by other writers (contactsCount, …) leave `version` alone: not an edit.
      if (was !== undefined && is !== undefined && is <= was) return undefined;
      const fields = auditedFieldChanges(before, after);
      if (fields.length === 0) return undefined;
      if (before.deletedAt === undefined && after.deletedAt !== undefined)
        return { action: 'deleted', fields };
      if (before.deletedAt !== undefined && after.deletedAt === undefined)
        return { action: 'restored', fields };
      return { action: 'updated', fields };
    }
    case 'REMOVE': {
      if (!before || entity === 'timelineEntry' || tombstones.has(entity)) return undefined;
      return { action: profiles.has(entity) ? 'purged' : 'deleted', fields: [] };
    }
    default:
      return undefined;
  }
};

/**
 * The audit entry of one item change, or undefined when the item is not audited or the change is
 * not an edit (a counter update, a no-op save). Throws `AuditMappingError` for an audited item
 * that lacks the attributes naming its entity.
 */
export const auditEntryOf = (change: ItemChange): AuditEntry | undefined => {
  const image = change.after ?? change.before;
  const entity = image?.entity;
  if (!image || typeof entity !== 'string' || !isAuditedEntity(entity)) return undefined;
  const what = actionOf(change, entity);
  if (!what) return undefined;
  const subject = (subjects[entity] as (item: Item) => Subject)(image);

  let stamp = change.eventName === 'REMOVE' ? undefined : lastChangeOf(change.after);
  if (stamp && change.eventName === 'MODIFY' && same(stamp, lastChangeOf(change.before))) stamp = undefined;
  const actor = stamp?.actor ?? { type: 'system' as const, id: change.byTtl ? 'ttl' : 'unattributed' };
  const at =
    stamp?.at ?? change.approximateAt ?? itemTime(change.after ?? change.before) ?? new Date(0).toISOString();
  const reason = tombstones.has(entity) ? purgeReasons.find((r) => r === image.reason) : undefined;
  const version = versionOf(change.after) ?? versionOf(change.before);

  const candidate = {
    auditId: auditIdFor(change.eventID),
    at,
    actor,
    roles: stamp?.roles ?? [],
    ...(stamp?.correlationId ? { correlationId: stamp.correlationId } : {}),
    ...(stamp?.sourceIp ? { sourceIp: stamp.sourceIp } : {}),
    entityType: subject.entityType,
    entityId: subject.entityId,
    item: entity,
    ...(subject.itemId === undefined ? {} : { itemId: subject.itemId }),
    action: what.action,
    changedFields: what.fields,
    ...(version === undefined ? {} : { version }),
    ...(reason === undefined ? {} : { reason }),
  };
  const parsed = AuditEntry.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
    throw new AuditMappingError(
      `stream record ${change.eventID} does not produce a valid audit entry`,
      change.eventID,
      issues,
    );
  }
  return parsed.data;
};
