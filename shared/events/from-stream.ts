/**
 * A DynamoDB stream record (`NEW_AND_OLD_IMAGES`) → the domain events it means. The stream record
 * itself is the outbox. Each capability maps its own item types (`streamMappers` in
 * `shared/capabilities/<name>/data.ts`, written with `./stream-mapping.ts`); this module only
 * dispatches a record to the mapper of its `entity`. Every other item type (guards, links,
 * settings, idempotency and dedupe records) maps to nothing.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { capabilityData } from '#shared/capabilities/data';
import { changeOf, type DomainEvent, type StreamMapper } from '#shared/events/stream-mapping';

export {
  changedFields,
  type DomainEvent,
  EventMappingError,
  eventIdFor,
} from '#shared/events/stream-mapping';

const collectMappers = (): ReadonlyMap<string, StreamMapper> => {
  const mappers = new Map<string, StreamMapper>();
  for (const data of capabilityData) {
    for (const [entity, mapper] of Object.entries(data.streamMappers)) {
      if (mappers.has(entity)) throw new Error(`two capabilities map the stream records of ${entity}`);
      mappers.set(entity, mapper);
    }
  }
  return mappers;
};

const mappers = collectMappers();

/**
 * The item types whose changes are domain events. CDK filters the stream on this list
 * (`infra/constructs/event-backbone.ts`), so the publisher is not even invoked for the rest.
 */
export const publishedEntities: readonly string[] = [...mappers.keys()];

/**
 * The domain events a stream record means (zero or more), each validated against its contract.
 * Throws `EventMappingError` when a record should produce an event but cannot produce a valid one.
 */
export const eventsFromRecord = (record: DynamoDBRecord): DomainEvent[] => {
  const change = changeOf(record);
  const entity = (change.after ?? change.before)?.entity;
  const mapper = typeof entity === 'string' ? mappers.get(entity) : undefined;
  return mapper ? mapper(change) : [];
};
