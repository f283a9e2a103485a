/**
 * The audit log's schemas (docs/adr/0009-audit-log.md). An audit entry says who changed what and
 * when: the actor, the entity, the action and the NAMES of the changed fields — never a value, so
 * an entry holds no customer personal data and survives the customer's erasure.
 */
import * as z from 'zod/mini';
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
    id: z
      .string()
      .register(z.globalRegistry, { description: 'Cognito `sub` of a user, or the name of a system writer' }),
  })
  .register(z.globalRegistry, { id: 'AuditActor' });

export const AuditEntry = z
  .object({
    auditId: z.string().register(z.globalRegistry, {
      description: 'Derived from the stream record: a retried record yields the same entry',
    }),
    at: IsoDateTime,
    actor: AuditActor,
    roles: z.array(z.string()),
    correlationId: z.optional(z.string()),
    sourceIp: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'Source IP of the staff caller (HTTP writes)' }),
    entityType: z.enum(auditEntityTypes),
    entityId: z.string(),
    item: z.string().register(z.globalRegistry, {
      description: 'The stored item that changed: `customer`, `timelineEntry`, `customerTombstone`, …',
    }),
    itemId: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'Id of a sub-item (a timeline entry)' }),
    action: z.enum(auditActions),
    changedFields: z
      .array(z.string())
      .register(z.globalRegistry, { description: 'Names of the changed fields, never their values' }),
    version: z.optional(z.int()),
    reason: z
      .optional(z.enum(purgeReasons))
      .register(z.globalRegistry, { description: 'Reason category of a purge or erasure' }),
  })
  .register(z.globalRegistry, { id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = pageOf(AuditEntry, 'AuditPage');

const Text = z.string().check(z.minLength(1), z.maxLength(200));

/** `?entityType=&entityId=` (one entity's trail) or `?actor=` (one actor's writes); never both. */
export const AuditQuery = z
  .extend(PageQuery, {
    entityType: z.optional(z.enum(auditEntityTypes)),
    entityId: z.optional(Text),
    actor: z.optional(Text).register(z.globalRegistry, {
      description: 'Actor id: a user’s `sub` (or a system writer with `actorType=system`)',
    }),
    actorType: z._default(z.enum(['user', 'system']), 'user'),
  })
  .check(
    z.superRefine((query, ctx) => {
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
    }),
  );
export type AuditQuery = z.infer<typeof AuditQuery>;
