/**
 * The stream poller's shard handling against a scripted streams API (aws-sdk-client-mock): parents
 * are read to the end before their children, closed shards are finished, and starting at LATEST
 * skips closed shards.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { startStreamPoller } from '#infra/local/streams';

const STREAM = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000';
const dynamo = mockClient(DynamoDBClient);
const streams = mockClient(DynamoDBStreamsClient);

const record = (pk: string, sequenceNumber: string): _Record => ({
  eventID: `id-${pk}`,
  eventName: 'INSERT',
  dynamodb: {
    Keys: { pk: { S: pk } },
    NewImage: { pk: { S: pk } },
    SequenceNumber: sequenceNumber,
    SizeBytes: 10,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

/** parent (closed, 2 records) → child (open, 1 record); the child is listed first. */
const script = () => {
  dynamo.on(DescribeTableCommand).resolves({ Table: { LatestStreamArn: STREAM } });
  streams.on(DescribeStreamCommand).resolves({
    StreamDescription: {
      Shards: [
        { ShardId: 'child', ParentShardId: 'parent', SequenceNumberRange: { StartingSequenceNumber: '300' } },
        {
          ShardId: 'parent',
          SequenceNumberRange: { StartingSequenceNumber: '100', EndingSequenceNumber: '200' },
        },
      ],
    },
  });
  streams.on(GetShardIteratorCommand).callsFake((input: { ShardId: string; ShardIteratorType: string }) => ({
    ShardIterator: `${input.ShardId}:${input.ShardIteratorType}:0`,
  }));
  streams.on(GetRecordsCommand).callsFake((input: { ShardIterator: string }) => {
    const [shard, type, page] = input.ShardIterator.split(':');
    if (shard === 'parent') {
      return page === '0'
        ? { Records: [record('p1', '100'), record('p2', '200')], NextShardIterator: 'parent:x:1' }
        : { Records: [] };
    }
    if (type === 'LATEST') return { Records: [], NextShardIterator: input.ShardIterator };
    return page === '0'
      ? { Records: [record('c1', '300')], NextShardIterator: 'child:x:1' }
      : { Records: [], NextShardIterator: 'child:x:1' };
  });
};

const keys = (batches: DynamoDBStreamEvent[]): string[] =>
  batches.flatMap((batch) => batch.Records.map((r) => r.dynamodb?.Keys?.pk?.S ?? ''));

afterEach(() => {
  dynamo.reset();
  streams.reset();
});

describe('Module: stream poller shards', () => {
  it('reads a parent shard to its end before its child (TRIM_HORIZON)', async () => {
    // Prepare
    script();
    const batches: DynamoDBStreamEvent[] = [];
    const poller = await startStreamPoller({
      endpoint: 'http://127.0.0.1:1',
      tableName: 't',
      startingPosition: 'TRIM_HORIZON',
      pollIntervalMs: 5,
      handler: (event) => void batches.push(event),
    });

    // Act
    await poller.drained();
    await poller.stop();

    // Assess
    expect(keys(batches)).toEqual(['p1', 'p2', 'c1']);
    expect(batches[0]?.Records[0]?.eventSourceARN).toBe(
      'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000',
    );
  });

  it('starts open shards at LATEST and skips closed ones', async () => {
    // Prepare
    script();
    const batches: DynamoDBStreamEvent[] = [];
    const poller = await startStreamPoller({
      endpoint: 'http://127.0.0.1:1',
      tableName: 't',
      pollIntervalMs: 5,
      handler: (event) => void batches.push(event),
    });

    // Act
    await poller.drained();
    await poller.stop();

    // Assess
    expect(keys(batches)).toEqual([]);
    const iteratorTypes = streams
      .commandCalls(GetShardIteratorCommand)
      .map((call) => `${call.args[0].input.ShardId}:${call.args[0].input.ShardIteratorType}`);
    expect(iteratorTypes).toEqual(['child:LATEST']);
  });
});
