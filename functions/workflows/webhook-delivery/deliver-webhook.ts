/**
 * Task `Deliver` of `infra/workflows/webhook-delivery.asl.json` (`${DeliverWebhookFunctionArn}`):
 * one signed delivery attempt. Throws `DeliveryFailed` (error name) for the workflow to retry.
 */
import { deliveryDeps } from '#shared/deps';
import { type DeliverResult, deliverWebhook } from '#shared/domain/webhooks/delivery';
import type { DeliveryInput } from '#shared/domain/webhooks/service';

export const handler = (input: DeliveryInput): Promise<DeliverResult> =>
  deliverWebhook(deliveryDeps(), input);
