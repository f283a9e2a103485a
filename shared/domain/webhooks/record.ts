/**
 * The recording of a webhook delivery's final status: the logic behind the webhook-delivery
 * workflow's record tasks (`functions/workflows/webhook-delivery/record-delivery.ts`). Apart from
 * `delivery.ts`, so the record task does not load the HTTP client and the SSRF guard.
 */
import type { Clock } from '#shared/domain/clock';
import type { Delivery } from '#shared/domain/webhooks/schemas';
import type { WebhookStore } from '#shared/domain/webhooks/store';

/** Input of the record task: the workflow says which final status the delivery reached. */
export interface RecordInput {
  deliveryId: string;
  webhookId: string;
  status: 'succeeded' | 'failed' | 'dead_lettered';
  /** The caught error (`Catch` with `ResultPath: "$.error"`), for dead letters. */
  error?: { Error?: string; Cause?: string } | undefined;
}

export interface RecordResult {
  deliveryId: string;
  webhookId: string;
  status: Delivery['status'] | 'missing';
  attempts: number;
}

/**
 * Sets the final status of a pending delivery. For a dead letter caused by something other than
 * `DeliveryFailed` (the attempt already logged its own error) the error's name is kept, never its
 * message, which could carry data.
 */
export const recordDelivery = async (
  deps: { webhooks: WebhookStore; clock: Clock },
  input: RecordInput,
): Promise<RecordResult> => {
  const errorName = input.error?.Error;
  const lastError =
    input.status === 'dead_lettered' && errorName && errorName !== 'DeliveryFailed'
      ? `gave up after ${errorName}`.slice(0, 200)
      : undefined;
  const finished =
    (await deps.webhooks.finish(
      input.webhookId,
      input.deliveryId,
      input.status,
      deps.clock.now().toISOString(),
      lastError,
    )) ?? (await deps.webhooks.getDelivery(input.webhookId, input.deliveryId));
  return {
    deliveryId: input.deliveryId,
    webhookId: input.webhookId,
    status: finished?.status ?? 'missing',
    attempts: finished?.attempts ?? 0,
  };
};
