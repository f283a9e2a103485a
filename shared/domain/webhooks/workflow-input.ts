/**
 * zod contracts of the webhook-delivery workflow's task inputs (the workflow edge is validated
 * like every other edge). A malformed input fails its Task with `ZodError`, which the ASL's Catch
 * turns into a recorded dead letter instead of a silent success.
 */
import * as z from 'zod';
import { Id } from '#shared/domain/common/schemas';
import type { RecordInput } from '#shared/domain/webhooks/delivery';
import type { DeliveryInput } from '#shared/domain/webhooks/service';

/**
 * Executions started before deliveries stored their event carried it in the input; it is accepted
 * (and used when the record holds none) for one workflow timeout (6 h) after the upgrade.
 * @deprecated remove with the next release.
 */
const LegacyEventInput = z.object({
  eventId: z.string().min(1),
  detailType: z.string().min(1),
  source: z.string().min(1),
  occurredAt: z.string().min(1),
  detail: z.record(z.string(), z.unknown()),
});

/** References only: the event is read from the delivery record (no event body in SFN history). */
export const DeliveryInputSchema = z.object({
  deliveryId: Id,
  webhookId: Id,
  event: LegacyEventInput.optional(),
}) satisfies z.ZodType<DeliveryInput>;

export const RecordInputSchema = z.object({
  deliveryId: Id,
  webhookId: Id,
  status: z.enum(['succeeded', 'failed', 'dead_lettered']),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
}) satisfies z.ZodType<RecordInput>;
