/**
 * One DynamoDB stream batch → domain events on the bus → the records Lambda must deliver again.
 *
 * Lambda restarts a stream shard from the LOWEST sequence number reported in `batchItemFailures`
 * and re-delivers every record after it. So the response lists ALL records from the first failed
 * one onward (a record fails when it cannot be mapped to valid events or when one of its events
 * was not accepted by the bus). Records after the first failure are redelivered in order; their
 * events may already be on the bus, and the retry publishes them again with the same ids, which
 * consumers drop (dedupe on event id). Records after a mapping failure are not published at all
 * in this invocation: they are coming back anyway.
 *
 * Powertools' `processPartialResponse` is not used on purpose: it processes records one by one,
 * which means a `PutEvents` call per record instead of one per 10 events.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { type DomainEvent, eventsFromRecord } from '#shared/events/from-stream';
import {
  type KeyedEntry,
  type PublishOptions,
  publishEvents,
  toPutEventsEntry,
} from '#shared/events/publisher';
import { logger } from '#shared/http/logger';

export interface StreamBatchDeps {
  client: EventBridgeClient;
  busName: string;
  publish?: PublishOptions;
  /**
   * Audit step (part C, docs/adr/0009-audit-log.md): writes the audit entries of the records it is
   * given and returns the index of the first record it could not audit (`records.length`: all).
   * It runs before publishing; records from that index onward are reported and not published.
   */
  audit?: (records: readonly DynamoDBRecord[]) => Promise<number>;
}

const sequenceNumberOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';

export const publishStreamBatch = async (
  records: readonly DynamoDBRecord[],
  deps: StreamBatchDeps,
): Promise<DynamoDBBatchResponse> => {
  const entries: KeyedEntry[] = [];
  // Index of the first record that failed; everything from it onward is reported.
  let firstFailed = records.length;
  for (const [index, record] of records.entries()) {
    let events: DomainEvent[];
    try {
      events = eventsFromRecord(record);
    } catch (error) {
      logger.error('Stream record could not be mapped to domain events', {
        streamEventId: record.eventID,
        sequenceNumber: sequenceNumberOf(record),
        error: error instanceof Error ? error.name : 'UnknownError',
      });
      firstFailed = index;
      break;
    }
    for (const event of events) {
      entries.push({ key: String(index), entry: toPutEventsEntry(deps.busName, event) });
    }
  }

  if (deps.audit) firstFailed = Math.min(firstFailed, await deps.audit(records.slice(0, firstFailed)));
  const publishable = entries.filter((e) => Number(e.key) < firstFailed);
  const { failedKeys } = await publishEvents(deps.client, deps.busName, publishable, deps.publish);
  for (const key of failedKeys) firstFailed = Math.min(firstFailed, Number(key));

  const failed = records.slice(firstFailed);
  if (failed.length > 0) {
    logger.warn('Stream batch partially failed; reporting records from the first failure onward', {
      records: records.length,
      firstFailedSequenceNumber: sequenceNumberOf(failed[0] as DynamoDBRecord),
      reported: failed.length,
    });
  }
  return { batchItemFailures: failed.map((record) => ({ itemIdentifier: sequenceNumberOf(record) })) };
};
