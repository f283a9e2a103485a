import { describe, expect, it } from 'vitest';
import { putEventsEntrySize } from '#infra/local/eventbridge';
import { functionNameFor } from '#infra/local/lambda';
import { executionArnFor, stateMachineArnFor } from '#infra/local/stepfunctions';
import { repairAttributeValue, toLambdaRecord } from '#infra/local/streams';

describe('Module: local Step Functions naming', () => {
  it('names state machines and executions like the local account and region', () => {
    // Assess
    expect(stateMachineArnFor('webhook-delivery')).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:relay-local-webhook-delivery',
    );
    expect(executionArnFor('webhook-delivery', 'd-1')).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:relay-local-webhook-delivery:d-1',
    );
    expect(functionNameFor('functions/events/flag-serious-complaint.ts')).toBe(
      'relay-local-events-flag-serious-complaint',
    );
  });
});

describe('Module: local bus entry size', () => {
  it('counts Time as 14 bytes plus the UTF-8 bytes of Source, DetailType, Detail and Resources', () => {
    // Assess
    expect(
      putEventsEntrySize({
        Time: 1_700_000_000,
        Source: 'relay.customers',
        DetailType: 'customer.created',
        Detail: '{"name":"Zoë"}',
        Resources: ['arn:a', 'arn:bb'],
      }),
    ).toBe(14 + 15 + 16 + 15 + 5 + 6);
    expect(putEventsEntrySize({ Source: 's', DetailType: 'd', Detail: '{}' })).toBe(4);
  });
});

describe('Module: local stream records', () => {
  it('restores empty maps that DynamoDB Local sends untyped, at any depth', () => {
    // Assess
    expect(repairAttributeValue({})).toEqual({ M: {} });
    expect(repairAttributeValue({ M: { a: {}, b: { L: [{}, { S: 'x' }] } } })).toEqual({
      M: { a: { M: {} }, b: { L: [{ M: {} }, { S: 'x' }] } },
    });
    expect(repairAttributeValue({ S: 'x' })).toEqual({ S: 'x' });
  });

  it('renders a stream record in the Lambda event shape (epoch seconds, base64 binary, local region)', () => {
    // Act
    const record = toLambdaRecord(
      {
        eventID: 'e-1',
        eventName: 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'ddblocal',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2026-01-01T00:00:00.000Z'),
          Keys: { pk: { S: 'A' }, sk: { S: 'B' } },
          NewImage: {
            pk: { S: 'A' },
            sk: { S: 'B' },
            blob: { B: Uint8Array.from([1, 2, 3]) },
            m: {} as never,
          },
          OldImage: { pk: { S: 'A' }, sk: { S: 'B' } },
          SequenceNumber: '100',
          SizeBytes: 42,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x',
    );

    // Assess
    expect(record).toEqual({
      eventID: 'e-1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x',
      dynamodb: {
        ApproximateCreationDateTime: 1_767_225_600,
        Keys: { pk: { S: 'A' }, sk: { S: 'B' } },
        NewImage: { pk: { S: 'A' }, sk: { S: 'B' }, blob: { B: 'AQID' }, m: { M: {} } },
        OldImage: { pk: { S: 'A' }, sk: { S: 'B' } },
        SequenceNumber: '100',
        SizeBytes: 42,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  });
});
