/**
 * Task `Deliver` of `infra/workflows/webhook-delivery.asl.json` (`${DeliverWebhookFunctionArn}`):
 * one signed delivery attempt. Throws `DeliveryFailed` (error name) for the workflow to retry.
 */
import { deliveryDeps } from '#shared/deps';
import { type DeliverResult, deliverWebhook } from '#shared/domain/webhooks/delivery';
import { DeliveryInputSchema } from '#shared/domain/webhooks/workflow-input';

export const handler = async (input: unknown): Promise<DeliverResult> => {
  const parsed = DeliveryInputSchema.parse(input);
  return deliverWebhook(deliveryDeps(), parsed);
};
