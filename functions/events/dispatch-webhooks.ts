/**
 * Rule `dispatch-webhooks` (events/rules.ts): every domain event → a pending delivery and a
 * delivery workflow per matching subscription. One `consumeEvent` per catalog contract (parsed and
 * deduped on the event id); the contract is picked by the event's detail-type.
 */
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { catalog } from '#events/catalog';
import { dispatchDeps } from '#shared/deps';
import { dispatchEvent } from '#shared/domain/webhooks/service';
import { type ConsumerHandler, consumeEvent, InvalidEventError } from '#shared/events/consumer';
import { logger } from '#shared/http/logger';

const CONSUMER = 'dispatch-webhooks';

const consumers = new Map<string, ConsumerHandler>(
  catalog.map((contract) => [
    contract.detailType,
    consumeEvent(CONSUMER, contract, async (detail) => {
      const { eventId, occurredAt } = detail as { eventId: string; occurredAt: string };
      const result = await dispatchEvent(dispatchDeps(), {
        eventId,
        occurredAt,
        detailType: contract.detailType,
        source: contract.source,
        detail: detail as Record<string, unknown>,
      });
      logger.info('Webhooks dispatched', { eventId, detailType: contract.detailType, ...result });
    }),
  ]),
);

export const handler = async (event: EventBridgeEvent<string, unknown>, context?: Context): Promise<void> => {
  const consume = consumers.get(event['detail-type']);
  if (!consume) {
    throw new InvalidEventError(`${CONSUMER} has no contract for ${event['detail-type']}`, CONSUMER);
  }
  await consume(event, context);
};
