/**
 * The audit log's schemas (docs/adr/0009-audit-log.md). An audit entry says who changed what and
 * when: the actor, the entity, the action and the NAMES of the changed fields — never a value, so
 * an entry holds no customer personal data and survives the customer's erasure.
 */
import * as z from 'zod';
import { IsoDateTime, PageQuery, pageOf } from '#shared/domain/common/schemas';

/** The resources an audit entry can be about (the `entityType` of `GET /audit`). */
export const auditEntityTypes = ['customer', 'company', 'webhook', 'settings'] as const;
export type AuditEntityType = (typeof auditEntityTypes)[number];

export const auditActions = [
  'created',
  'updated',
  'deleted',
  'restored',
  'purge_requested',
  'erased',
  'purged',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Reason categories of a tombstone (never a free-text reason: it could carry personal data). */
export const purgeReasons = ['retention', 'erasure', 'purge'] as const;

export const AuditActor = z
  .object({
    type: z.enum(['user', 'system']),
    id: z.string().meta({ description: 'Cognito `sub` of a user, or the name of a system writer' }),
  })
  .meta({ id: 'AuditActor' });

export const AuditEntry = z
  .object({
    auditId: z
      .string()
      .meta({ description: 'Derived from the stream record: a retried record yields the same entry' }),
    at: IsoDateTime,
    actor: AuditActor,
    roles: z.array(z.string()),
    correlationId: z.string().optional(),
    sourceIp: z.string().optional().meta({ description: 'Source IP of the staff caller (HTTP writes)' }),
    entityType: z.enum(auditEntityTypes),
    entityId: z.string(),
    item: z.string().meta({
      description: 'The stored item that changed: `customer`, `timelineEntry`, `customerTombstone`, …',
    }),
    itemId: z.string().optional().meta({ description: 'Id of a sub-item (a timeline entry)' }),
    action: z.enum(auditActions),
    changedFields: z
      .array(z.string())
      .meta({ description: 'Names of the changed fields, never their values' }),
    version: z.number().int().optional(),
    reason: z.enum(purgeReasons).optional().meta({ description: 'Reason category of a purge or erasure' }),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = pageOf(AuditEntry, 'AuditPage');

const Text = z.string().min(1).max(200);

/** `?entityType=&entityId=` (one entity's trail) or `?actor=` (one actor's writes); never both. */
export const AuditQuery = PageQuery.extend({
  entityType: z.enum(auditEntityTypes).optional(),
  entityId: Text.optional(),
  actor: Text.optional().meta({
    description: 'Actor id: a user’s `sub` (or a system writer with `actorType=system`)',
  }),
  actorType: z.enum(['user', 'system']).default('user'),
}).superRefine((query, ctx) => {
  const byEntity = query.entityType !== undefined || query.entityId !== undefined;
  const byActor = query.actor !== undefined;
  if (byEntity && byActor) {
    ctx.addIssue({
      code: 'custom',
      path: ['actor'],
      message: 'use either entityType+entityId or actor, not both',
    });
    return;
  }
  if (!byEntity && !byActor) {
    ctx.addIssue({ code: 'custom', path: ['actor'], message: 'give entityType+entityId or actor' });
    return;
  }
  if (byEntity && query.entityType === undefined)
    ctx.addIssue({ code: 'custom', path: ['entityType'], message: 'required with entityId' });
  if (byEntity && query.entityId === undefined)
    ctx.addIssue({ code: 'custom', path: ['entityId'], message: 'required with entityType' });
});
export type AuditQuery = z.infer<typeof AuditQuery>;
