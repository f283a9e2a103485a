/**
 * The local stream runner applies the publisher mapping's filter criteria as deployed
 * (`streamPublisherSource.filterCriteria`, the object CDK synthesizes into the event source
 * mapping): DynamoDB Local's real stream records of item types nobody reads are dropped and never
 * delivered; records of streamed item types are, by the new image or, for a REMOVE, the old one.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamEntities, streamPublisherSource } from '#infra/config/stream-source';
import { startTestCloud, type TestCloud } from './support/local-cloud.ts';

const delivered: DynamoDBRecord[] = [];
let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({
    rules: [],
    api: false,
    streamHandler: async (event) => {
      delivered.push(...event.Records);
      return { batchItemFailures: [] };
    },
    streamFilterCriteria: streamPublisherSource.filterCriteria,
  });
});

afterAll(async () => {
  await cloud?.close();
});

const keyOf = (record: DynamoDBRecord): string | undefined => record.dynamodb?.Keys?.pk?.S;
const put = (pk: string, entity: string, note: string) =>
  cloud.table.doc.send(
    new PutCommand({ TableName: cloud.table.tableName, Item: { pk, sk: 'ITEM', entity, note } }),
  );
const remove = (pk: string) =>
  cloud.table.doc.send(new DeleteCommand({ TableName: cloud.table.tableName, Key: { pk, sk: 'ITEM' } }));

describe('stream filter criteria on the local stream runner', () => {
  it('delivers changes of a streamed item type and drops those of any other, as the deployed mapping', async () => {
    // Prepare
    const streamed = streamEntities[0] as string;
    const ignored = 'localFilterProbe';
    expect(streamEntities).not.toContain(ignored);
    const filteredBefore = cloud.streams?.filteredOut() ?? 0;

    // Act: insert, update and delete one item of each kind.
    for (const pk of ['KEEP#1', 'DROP#1']) {
      const entity = pk.startsWith('KEEP') ? streamed : ignored;
      await put(pk, entity, 'first');
      await put(pk, entity, 'second');
      await remove(pk);
    }
    await cloud.streams?.drained(10_000);

    // Assess
    expect(delivered.filter((r) => keyOf(r) === 'KEEP#1').map((r) => r.eventName)).toEqual([
      'INSERT',
      'MODIFY',
      'REMOVE',
    ]);
    expect(delivered.filter((r) => keyOf(r) === 'DROP#1')).toEqual([]);
    expect((cloud.streams?.filteredOut() ?? 0) - filteredBefore).toBe(3);
  });
});
