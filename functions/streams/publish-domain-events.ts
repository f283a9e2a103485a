/**
 * The ONE reader of the table stream: writes the audit log and puts the domain events on the
 * stage's bus (the outbox publisher); every projection consumes the events from the bus. Reports
 * batch item failures from the first failed record onward, so the shard resumes there and keeps
 * its order (see `shared/events/stream-batch.ts`). The event source mapping sets
 * `reportBatchItemFailures`.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { docClient } from '#shared/aws/clients';
import { eventBridgeClient } from '#shared/aws/eventbridge';
import { auditRetentionDays, auditStreamRecords } from '#shared/db/audit-store';
import { eventBusName } from '#shared/events/config';
import { publishStreamBatch } from '#shared/events/stream-batch';

const tableName = process.env.TABLE_NAME;
if (!tableName) throw new Error('Missing required environment variable TABLE_NAME');
const audit = { client: docClient(), tableName, retentionDays: auditRetentionDays() };

const deps = {
  client: eventBridgeClient(),
  busName: eventBusName(),
  audit: (records: Parameters<typeof auditStreamRecords>[0]) => auditStreamRecords(records, audit),
};

export const handler = (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
  publishStreamBatch(event.Records, deps);
