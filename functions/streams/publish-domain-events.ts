/**
 * Table stream → domain events on the stage's bus (the outbox publisher). Reports batch item
 * failures from the first failed record onward, so the shard resumes there and keeps its order
 * (see `shared/events/stream-batch.ts`). The event source mapping sets `reportBatchItemFailures`.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventBridgeClient } from '#shared/aws/eventbridge';
import { eventBusName } from '#shared/events/config';
import { publishStreamBatch } from '#shared/events/stream-batch';

const deps = { client: eventBridgeClient(), busName: eventBusName() };

export const handler = (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
  publishStreamBatch(event.Records, deps);
