/**
 * zod contracts of the webhook-delivery workflow's task inputs (the workflow edge is validated
 * like every other edge). A malformed input fails its Task with `ZodError`, which the ASL's Catch
 * turns into a recorded dead letter instead of a silent success.
 */
import '#shared/zod-locale';
import * as z from 'zod/mini';
import { Id } from '#shared/domain/common/schemas';
import type { RecordInput } from '#shared/domain/webhooks/record';
import type { DeliveryInput } from '#shared/domain/webhooks/service';

/**
 * Executions started before deliveries stored their event carried it in the input; it is accepted
 * (and used when the record holds none) for one workflow timeout (6 h) after the upgrade.
 * @deprecated remove with the next release.
 */
const LegacyEventInput = z.object({
  eventId: z.string().check(z.minLength(1)),
  detailType: z.string().check(z.minLength(1)),
  source: z.string().check(z.minLength(1)),
  occurredAt: z.string().check(z.minLength(1)),
  detail: z.record(z.string(), z.unknown()),
});

/** References only: the event is read from the delivery record (no event body in SFN history). */
export const DeliveryInputSchema = z.object({
  deliveryId: Id,
  webhookId: Id,
  event: z.optional(LegacyEventInput),
}) satisfies z.ZodMiniType<DeliveryInput>;

export const RecordInputSchema = z.object({
  deliveryId: Id,
  webhookId: Id,
  status: z.enum(['succeeded', 'failed', 'dead_lettered']),
  error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
}) satisfies z.ZodMiniType<RecordInput>;
