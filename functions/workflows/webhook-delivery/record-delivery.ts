/**
 * Tasks `RecordSucceeded`, `RecordFailed` and `RecordDeadLettered` of
 * `infra/workflows/webhook-delivery.asl.json` (`${RecordDeliveryFunctionArn}`): the final status.
 */
import { deliveryDeps } from '#shared/deps';
import { type RecordResult, recordDelivery } from '#shared/domain/webhooks/record';
import { RecordInputSchema } from '#shared/domain/webhooks/workflow-input';
import { runAsSystem } from '#shared/http/request-context';

export const handler = async (input: unknown): Promise<RecordResult> => {
  const parsed = RecordInputSchema.parse(input);
  return runAsSystem('record-delivery', () => recordDelivery(deliveryDeps(), parsed));
};
