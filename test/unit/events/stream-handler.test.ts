import { readFileSync } from 'node:fs';
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandInput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { syntheticStreamRecords } from '#test/unit/support/stream-records';

const BUS = 'relay-unit-bus';
const TABLE = 'relay-unit-table';
const eventBridge = mockClient(EventBridgeClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const auditPuts = () =>
  dynamo
    .commandCalls(BatchWriteCommand)
    .flatMap((call) => call.args[0].input.RequestItems?.[TABLE] ?? [])
    .map((request) => request.PutRequest?.Item as Record<string, unknown>);

const loadHandler = async () => {
  vi.resetModules();
  return (await import('#functions/streams/publish-domain-events')).handler;
};

const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const sequenceNumbers = (records: DynamoDBRecord[]) =>
  records.map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber }));
const sent = (): PutEventsRequestEntry[] =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);
const eventIdOf = (entry: PutEventsRequestEntry) =>
  (JSON.parse(entry.Detail ?? '{}') as { eventId: string }).eventId;

const acceptAll = (input: PutEventsCommandInput) => ({
  FailedEntryCount: 0,
  Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `id-${i}` })),
});

/** Rejects (every time) the entries whose detail names `customerId`/`companyId`/`entryId` `id`. */
const rejectEventsOf = (id: string) => (input: PutEventsCommandInput) => {
  const results = (input.Entries ?? []).map((entry) =>
    (entry.Detail ?? '').includes(id) ? { ErrorCode: 'InternalFailure' } : { EventId: 'ok' },
  );
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
};

const invalidRecord = (record: DynamoDBRecord): DynamoDBRecord => {
  const broken = structuredClone(record);
  const image = broken.dynamodb?.NewImage as Record<string, AttributeValue>;
  image.lifecycleStage = marshall({ v: 'not-a-stage' }).v as AttributeValue;
  return broken;
};

describe('Handler: publish-domain-events', () => {
  beforeEach(() => {
    eventBridge.reset();
    dynamo.reset();
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    vi.stubEnv('EVENT_BUS_NAME', BUS);
    vi.stubEnv('TABLE_NAME', TABLE);
    vi.stubEnv('AUDIT_RETENTION_DAYS', '90');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('publishes one event per change in requests of at most 10 and reports no failures', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake(acceptAll);
    const handler = await loadHandler();
    const records = syntheticStreamRecords(100);

    // Act
    const result = await handler(streamEvent(records));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(sent()).toHaveLength(100);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(10);
    expect(new Set(sent().map((e) => e.EventBusName))).toEqual(new Set([BUS]));
  });

  it('reports every record from the first one whose event failed, in order', async () => {
    // Prepare
    const records = syntheticStreamRecords(12);
    eventBridge
      .on(PutEventsCommand)
      .callsFake(rejectEventsOf(records[5]?.dynamodb?.NewImage?.id?.S as string));
    const handler = await loadHandler();

    // Act
    const result = await handler(streamEvent(records));

    // Assess
    expect(result.batchItemFailures).toEqual(sequenceNumbers(records.slice(5)));
  });

  it('reports the record that cannot be mapped and all after it, publishing only the records before it', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake(acceptAll);
    const records = syntheticStreamRecords(8);
    records[4] = invalidRecord(records[4] as DynamoDBRecord);
    const handler = await loadHandler();

    // Act
    const result = await handler(streamEvent(records));

    // Assess
    expect(result.batchItemFailures).toEqual(sequenceNumbers(records.slice(4)));
    expect(sent()).toHaveLength(4);
  });

  it('reports from the earlier of a publish failure and a mapping failure', async () => {
    // Prepare
    const records = syntheticStreamRecords(8);
    records[6] = invalidRecord(records[6] as DynamoDBRecord);
    eventBridge
      .on(PutEventsCommand)
      .callsFake(rejectEventsOf(records[2]?.dynamodb?.NewImage?.id?.S as string));
    const handler = await loadHandler();

    // Act
    const result = await handler(streamEvent(records));

    // Assess
    expect(result.batchItemFailures).toEqual(sequenceNumbers(records.slice(2)));
  });

  it('publishes the same event ids when Lambda redelivers the reported records', async () => {
    // Prepare
    const records = syntheticStreamRecords(6);
    eventBridge
      .on(PutEventsCommand)
      .callsFake(rejectEventsOf(records[3]?.dynamodb?.NewImage?.id?.S as string));
    const handler = await loadHandler();
    const first = await handler(streamEvent(records));
    const firstIds = [...new Set(sent().map(eventIdOf))];
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).callsFake(acceptAll);

    // Act: Lambda restarts from the lowest reported sequence number
    const retry = await handler(streamEvent(records.slice(3)));

    // Assess
    expect(first.batchItemFailures).toEqual(sequenceNumbers(records.slice(3)));
    expect(retry.batchItemFailures).toEqual([]);
    expect(firstIds.slice(3)).toEqual(sent().map(eventIdOf));
  }, 10_000);

  it('makes no call for a batch without domain changes', async () => {
    // Prepare
    const record = JSON.parse(
      readFileSync(new URL('../../fixtures/streams/company-contact-insert.json', import.meta.url), 'utf8'),
    ) as DynamoDBRecord;
    const handler = await loadHandler();

    // Act
    const result = await handler(streamEvent([record]));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('fails at cold start when EVENT_BUS_NAME is not set', async () => {
    // Prepare
    vi.stubEnv('EVENT_BUS_NAME', '');

    // Act
    const load = loadHandler();

    // Assess
    await expect(load).rejects.toThrow('Missing required environment variable EVENT_BUS_NAME');
  });
  // ── audit step (part C) ──
  it('writes one audit entry per audited record in BatchWriteItem requests of at most 25', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake(acceptAll);
    const handler = await loadHandler();
    const records = syntheticStreamRecords(60);

    // Act
    const result = await handler(streamEvent(records));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(3);
    const puts = auditPuts();
    expect(puts).toHaveLength(60);
    expect(new Set(puts.map((item) => `${item.pk}|${item.sk}`)).size).toBe(60);
    expect(puts.every((item) => item.entity === 'auditEntry' && typeof item.expiresAt === 'number')).toBe(
      true,
    );
  });

  it('reports from the first record whose audit entry stays unprocessed and publishes no event from it on', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake(acceptAll);
    const records = syntheticStreamRecords(8);
    const stuckId = records[3]?.dynamodb?.NewImage?.id?.S as string;
    dynamo.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => ({
      UnprocessedItems: {
        [TABLE]: (input.RequestItems?.[TABLE] ?? []).filter((r) =>
          String(r.PutRequest?.Item?.pk).endsWith(stuckId),
        ),
      },
    }));
    const handler = await loadHandler();

    // Act
    const result = await handler(streamEvent(records));

    // Assess
    expect(result.batchItemFailures).toEqual(sequenceNumbers(records.slice(3)));
    expect(sent()).toHaveLength(3);
  }, 10_000);
});
