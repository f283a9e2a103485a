/**
 * Synthetic DynamoDB stream records shaped like the table's real items (keys from `keys.ts`,
 * images marshalled as DynamoDB sends them): a rotating mix of customer inserts, customer edits,
 * timeline notes and company inserts, each of which maps to exactly one domain event.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import {
  companyListKeys,
  companyProfileKey,
  customerListKeys,
  customerProfileKey,
  timelineByTypeKeys,
  timelineEntryKey,
} from '#shared/db/keys';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A valid ULID unique per `n` (and per `salt`). */
export const ulidFor = (n: number, salt = 0): string => {
  let suffix = '';
  let value = n;
  for (let i = 0; i < 8; i++) {
    suffix = CROCKFORD[value % 32] + suffix;
    value = Math.floor(value / 32);
  }
  return `01JF${CROCKFORD[salt % 32]}0000000000${CROCKFORD[Math.floor(salt / 32) % 32]}00${suffix}`;
};

type Item = Record<string, unknown>;
const image = (item: Item) =>
  marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;

const customer = (id: string, version: number, lastName: string): Item => ({
  ...customerProfileKey(id),
  ...customerListKeys(id),
  entity: 'customer',
  id,
  firstName: 'Test',
  lastName,
  emails: [{ address: `c${id.toLowerCase()}@example.com`, primary: true }],
  phones: [],
  lifecycleStage: 'lead',
  tags: ['synthetic'],
  attributes: { plan: 'pro' },
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: `2026-11-23T09:${String(version).padStart(2, '0')}:00.000Z`,
  version,
});

export const syntheticStreamRecords = (count: number, batch = 0): DynamoDBRecord[] =>
  Array.from({ length: count }, (_, i): DynamoDBRecord => {
    const id = ulidFor(i, batch);
    const kind = i % 4;
    const base = {
      eventID: `${batch.toString(16).padStart(8, '0')}${i.toString(16).padStart(24, '0')}`,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-central-1',
      eventSourceARN:
        'arn:aws:dynamodb:eu-central-1:123456789012:table/relay-bench/stream/2026-11-01T00:00:00.000',
    };
    const stream = (key: { pk: string; sk: string }) => ({
      ApproximateCreationDateTime: 1795426200 + i,
      Keys: image(key),
      SequenceNumber: String(1_000_000_000_000_000 + batch * 1_000_000 + i),
      SizeBytes: 512,
      StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
    });
    if (kind === 0) {
      return {
        ...base,
        eventName: 'INSERT',
        dynamodb: { ...stream(customerProfileKey(id)), NewImage: image(customer(id, 1, 'Inserted')) },
      };
    }
    if (kind === 1) {
      return {
        ...base,
        eventName: 'MODIFY',
        dynamodb: {
          ...stream(customerProfileKey(id)),
          OldImage: image(customer(id, 1, 'Before')),
          NewImage: image(customer(id, 2, 'After')),
        },
      };
    }
    if (kind === 2) {
      const customerId = ulidFor(i - 2, batch);
      const occurredAt = '2026-11-23T10:00:00.000Z';
      return {
        ...base,
        eventName: 'INSERT',
        dynamodb: {
          ...stream(timelineEntryKey(customerId, occurredAt, id)),
          NewImage: image({
            ...timelineEntryKey(customerId, occurredAt, id),
            ...timelineByTypeKeys(customerId, 'note', occurredAt, id),
            entity: 'timelineEntry',
            id,
            customerId,
            type: 'note',
            occurredAt,
            recordedAt: occurredAt,
            actor: { type: 'system' },
            body: 'Synthetic note',
          }),
        },
      };
    }
    return {
      ...base,
      eventName: 'INSERT',
      dynamodb: {
        ...stream(companyProfileKey(id)),
        NewImage: image({
          ...companyProfileKey(id),
          ...companyListKeys(id),
          entity: 'company',
          id,
          name: `Company ${i}`,
          tags: [],
          createdAt: '2026-11-23T09:00:00.000Z',
          updatedAt: '2026-11-23T09:00:00.000Z',
          version: 1,
        }),
      },
    };
  });
