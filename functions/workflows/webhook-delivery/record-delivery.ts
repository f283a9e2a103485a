/**
 * Tasks `RecordSucceeded`, `RecordFailed` and `RecordDeadLettered` of
 * `infra/workflows/webhook-delivery.asl.json` (`${RecordDeliveryFunctionArn}`): the final status.
 */
import { deliveryDeps } from '#shared/deps';
import { type RecordInput, type RecordResult, recordDelivery } from '#shared/domain/webhooks/delivery';

export const handler = (input: RecordInput): Promise<RecordResult> => recordDelivery(deliveryDeps(), input);
