/**
 * Task `Deliver` of `infra/workflows/webhook-delivery.asl.json` (`${DeliverWebhookFunctionArn}`):
 * one signed delivery attempt. Throws `DeliveryFailed` (error name) for the workflow to retry.
 */
import { deliverTaskDeps } from '#shared/deps';
import { type DeliverResult, deliverWebhook } from '#shared/domain/webhooks/delivery';
import { DeliveryInputSchema } from '#shared/domain/webhooks/workflow-input';
import { runAsSystem } from '#shared/http/request-context';

export const handler = async (input: unknown): Promise<DeliverResult> => {
  const parsed = DeliveryInputSchema.parse(input);
  // A 410 deactivates the subscription: that write is audited as this task (a system actor).
  return runAsSystem('deliver-webhook', () => deliverWebhook(deliverTaskDeps(), parsed));
};
