import { readFileSync } from 'node:fs';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, AttributeValue as StreamAttributeValue } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  changedFields,
  EventMappingError,
  eventIdFor,
  eventsFromRecord,
  publishedEntities,
} from '#shared/events/from-stream';

const CUSTOMER_ID = '01JD8X3Q9Z7N6M5K4H3G2F1E0D';
const COMPANY_ID = '01JF0000000000000000000000';

const fixture = (name: string): DynamoDBRecord =>
  structuredClone(
    JSON.parse(readFileSync(new URL(`../../fixtures/streams/${name}.json`, import.meta.url), 'utf8')),
  ) as DynamoDBRecord;

type Image = Record<string, unknown>;
type Wire = Record<string, AttributeValue>;

const imageOf = (record: DynamoDBRecord, which: 'NewImage' | 'OldImage'): Image =>
  unmarshall(record.dynamodb?.[which] as Wire);

/** A copy of the record whose NewImage is `edit(NewImage)`, marshalled as DynamoDB sends it. */
const withNewImage = (record: DynamoDBRecord, edit: (image: Image) => Image): DynamoDBRecord => {
  const next = structuredClone(record);
  (next.dynamodb as { NewImage: unknown }).NewImage = marshall(edit(imageOf(record, 'NewImage')), {
    removeUndefinedValues: true,
  });
  return next;
};

describe('Module: from-stream', () => {
  describe('Constant: publishedEntities', () => {
    it.each([
      'customer-insert',
      'customer-modify',
      'customer-remove',
      'company-insert',
      'company-modify',
      'company-remove',
      'company-bin',
      'company-restore',
      'company-contacts-count',
      'customer-stats-modify',
      'company-contact-insert',
      'unique-email-insert',
      'timeline-complaint-insert',
      'timeline-lifecycle-insert',
    ])('lists the entity of %s exactly when the record can become an event', (name) => {
      // Prepare
      const record = fixture(name);
      const image = imageOf(record, record.eventName === 'REMOVE' ? 'OldImage' : 'NewImage');
      const listed = (publishedEntities as readonly unknown[]).includes(image.entity);
      const versionOnly = name === 'company-contacts-count';

      // Act
      const events = eventsFromRecord(record);

      // Assess (the CDK stream filter drops every record whose entity is not listed)
      if (!listed) expect(events).toEqual([]);
      if (listed && !versionOnly) expect(events.length).toBeGreaterThan(0);
    });
  });

  describe('Function: eventsFromRecord', () => {
    it('maps an inserted customer profile to customer.created', () => {
      // Prepare
      const record = fixture('customer-insert');

      // Act
      const events = eventsFromRecord(record);

      // Assess
      expect(events).toHaveLength(1);
      expect(events[0]?.contract.detailType).toBe('customer.created');
      expect(events[0]?.detail).toMatchObject({
        schemaVersion: 2,
        occurredAt: '2026-11-23T09:30:00.000Z',
        customerId: CUSTOMER_ID,
        version: 1,
      });
    });

    it('carries ids and routing facts only: no record, no keys, no personal fields', () => {
      // Prepare
      const record = fixture('customer-insert');

      // Act
      const [event] = eventsFromRecord(record);

      // Assess
      expect(Object.keys(event?.detail ?? {}).sort()).toEqual(
        ['customerId', 'eventId', 'lifecycleStage', 'occurredAt', 'schemaVersion', 'version']
          .concat(
            Object.keys(event?.detail ?? {}).filter((k) => ['ownerId', 'companyId', 'channel'].includes(k)),
          )
          .sort(),
      );
      for (const attribute of [
        'pk',
        'sk',
        'gsi2pk',
        'gsi2sk',
        'entity',
        'customer',
        'firstName',
        'lastName',
        'emails',
        'lastChange',
      ]) {
        expect(event?.detail).not.toHaveProperty(attribute);
      }
    });

    it('maps a modified customer profile with a higher version to customer.updated with the changed fields', () => {
      // Prepare
      const record = fixture('customer-modify');

      // Act
      const events = eventsFromRecord(record);

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['customer.updated']);
      expect(events[0]?.detail).toMatchObject({
        customerId: CUSTOMER_ID,
        previousVersion: 1,
        changedFields: ['attributes', 'lastName', 'lifecycleStage', 'tags'],
        occurredAt: '2026-11-23T10:15:00.000Z',
        version: 2,
      });
      expect(JSON.stringify(events[0]?.detail)).not.toContain('King');
    });

    it('emits nothing for a customer MODIFY whose version did not increase', () => {
      // Prepare
      const record = withNewImage(fixture('customer-modify'), (image) => ({ ...image, version: 1 }));

      // Act
      const events = eventsFromRecord(record);

      // Assess
      expect(events).toEqual([]);
    });

    it('emits nothing for a version bump that changed no field but updatedAt', () => {
      // Prepare
      const base = fixture('customer-modify');
      const before = imageOf(base, 'OldImage');
      const record = withNewImage(base, () => ({
        ...before,
        updatedAt: '2026-11-24T00:00:00.000Z',
        version: 2,
      }));

      // Act
      const events = eventsFromRecord(record);

      // Assess
      expect(events).toEqual([]);
    });

    it('maps a removed customer profile (its purge) to customer.purged without personal data, at the removal time', () => {
      // Prepare
      const record = fixture('customer-remove');

      // Act
      const events = eventsFromRecord(record);

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['customer.purged']);
      const { eventId, ...rest } = events[0]?.detail ?? {};
      expect(eventId).toMatch(/^[0-9a-f]{32}$/);
      expect(rest).toEqual({
        schemaVersion: 1,
        occurredAt: new Date(1795432500 * 1000).toISOString(),
        customerId: CUSTOMER_ID,
      });
    });

    it('maps a customer moved to the recycle bin to customer.deleted with its purge time, not customer.updated', () => {
      // Act
      const events = eventsFromRecord(fixture('customer-bin'));

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['customer.deleted']);
      expect(events[0]?.detail).toMatchObject({
        customerId: CUSTOMER_ID,
        version: 3,
        purgeAt: '2026-12-23T11:00:00.000Z',
      });
    });

    it('maps a customer taken out of the recycle bin to customer.restored', () => {
      // Act
      const events = eventsFromRecord(fixture('customer-restore'));

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['customer.restored']);
      expect(events[0]?.detail).toMatchObject({ customerId: CUSTOMER_ID, version: 4 });
    });

    it('maps an inserted tombstone to customer.purge_requested with its reason only', () => {
      // Act
      const events = eventsFromRecord(fixture('customer-tombstone-insert'));

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['customer.purge_requested']);
      const { eventId: _id, ...rest } = events[0]?.detail ?? {};
      expect(rest).toEqual({
        schemaVersion: 1,
        occurredAt: '2026-12-24T09:00:00.000Z',
        customerId: CUSTOMER_ID,
        reason: 'retention',
      });
    });

    it('maps an inserted company to company.created', () => {
      // Act
      const events = eventsFromRecord(fixture('company-insert'));

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['company.created']);
      expect(events[0]?.detail).toMatchObject({
        companyId: COMPANY_ID,
        version: 1,
      });
    });

    it('maps a user edit of a company to company.updated with the changed fields', () => {
      // Act
      const events = eventsFromRecord(fixture('company-modify'));

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['company.updated']);
      expect(events[0]?.detail).toMatchObject({ previousVersion: 1, changedFields: ['name', 'size'] });
    });

    it('emits nothing when only the company’s contactsCount changed', () => {
      // Prepare
      const record = fixture('company-contacts-count');

      // Act
      const events = eventsFromRecord(record);

      // Assess
      expect(events).toEqual([]);
    });

    it('maps a removed company (its purge) to company.purged', () => {
      // Act
      const events = eventsFromRecord(fixture('company-remove'));

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['company.purged']);
      const { eventId: _id, ...rest } = events[0]?.detail ?? {};
      expect(rest).toEqual({
        schemaVersion: 1,
        occurredAt: expect.any(String),
        companyId: COMPANY_ID,
      });
    });

    it('maps a company moved to the recycle bin to company.deleted with its purge time, not company.updated', () => {
      // Act
      const events = eventsFromRecord(fixture('company-bin'));

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['company.deleted']);
      expect(events[0]?.detail).toMatchObject({
        companyId: COMPANY_ID,
        version: 3,
        purgeAt: '2026-12-23T12:00:00.000Z',
      });
    });

    it('maps a company taken out of the recycle bin to company.restored', () => {
      // Act
      const events = eventsFromRecord(fixture('company-restore'));

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['company.restored']);
      expect(events[0]?.detail).toMatchObject({ companyId: COMPANY_ID, version: 4 });
    });

    it('maps an inserted timeline entry to timeline.entry_added with the entry’s own time and type', () => {
      // Act
      const events = eventsFromRecord(fixture('timeline-complaint-insert'));

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['timeline.entry_added']);
      expect(events[0]?.detail).toMatchObject({
        customerId: CUSTOMER_ID,
        type: 'complaint',
        occurredAt: '2026-11-23T12:00:00.000Z',
        severity: 'critical',
        channel: 'phone',
      });
    });

    it('maps a lifecycle_change entry to two events: timeline.entry_added and customer.lifecycle_changed', () => {
      // Act
      const events = eventsFromRecord(fixture('timeline-lifecycle-insert'));

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual([
        'timeline.entry_added',
        'customer.lifecycle_changed',
      ]);
      expect(events[1]?.detail).toMatchObject({ customerId: CUSTOMER_ID, from: 'lead', to: 'prospect' });
      expect(events[0]?.detail.eventId).not.toBe(events[1]?.detail.eventId);
    });

    it('maps a stats change to customer.stats_changed with the changed aggregates, ignoring entryCounts alone', () => {
      // Act
      const events = eventsFromRecord(fixture('customer-stats-modify'));
      const countsOnly = eventsFromRecord(
        withNewImage(fixture('customer-stats-modify'), (image) => ({
          ...(imageOf(fixture('customer-stats-modify'), 'OldImage') as Record<string, unknown>),
          entryCounts: { ...((image.entryCounts as Record<string, number>) ?? {}), note: 9 },
        })),
      );

      // Assess
      expect(events.map((e) => e.contract.detailType)).toEqual(['customer.stats_changed']);
      expect(events[0]?.detail).toMatchObject({
        customerId: CUSTOMER_ID,
        changedFields: ['complaintsCount', 'lastContactAt', 'openComplaints'],
        openComplaints: 1,
        needsAttention: false,
      });
      expect(countsOnly).toEqual([]);
    });

    it.each(['unique-email-insert', 'company-contact-insert'])(
      'maps %s (not a domain change) to nothing',
      (name) => {
        // Act
        const events = eventsFromRecord(fixture(name));

        // Assess
        expect(events).toEqual([]);
      },
    );

    it('maps a modified or removed timeline entry to nothing (entries are append-only)', () => {
      // Prepare
      const insert = fixture('timeline-complaint-insert');
      const removed: DynamoDBRecord = {
        ...insert,
        eventName: 'REMOVE',
        dynamodb: { ...insert.dynamodb, OldImage: insert.dynamodb?.NewImage, NewImage: undefined },
      };

      // Act
      const events = eventsFromRecord(removed);

      // Assess
      expect(events).toEqual([]);
    });

    it('maps a Powertools idempotency record to nothing', () => {
      // Prepare
      const record: DynamoDBRecord = {
        eventID: '00000000000000000000000000000001',
        eventName: 'INSERT',
        dynamodb: {
          NewImage: marshall({
            pk: 'IDEMPOTENCY#3',
            sk: 'abc',
            status: 'COMPLETED',
            expiration: 1,
          }) as Record<string, StreamAttributeValue>,
        },
      };

      // Act
      const events = eventsFromRecord(record);

      // Assess
      expect(events).toEqual([]);
    });

    it('derives the same event ids when the same record is replayed', () => {
      // Prepare
      const record = fixture('timeline-lifecycle-insert');

      // Act
      const first = eventsFromRecord(record).map((e) => e.detail.eventId);
      const replays = [1, 2, 3].map(() => eventsFromRecord(fixture('timeline-lifecycle-insert')));

      // Assess
      for (const replay of replays) expect(replay.map((e) => e.detail.eventId)).toEqual(first);
    });

    it('derives the event id from the stream eventID and the detail type', () => {
      // Prepare
      const record = fixture('customer-insert');

      // Act
      const [event] = eventsFromRecord(record);

      // Assess
      expect(event?.detail.eventId).toBe(eventIdFor(record.eventID as string, 'customer.created'));
      expect(eventIdFor('a', 'customer.created')).not.toBe(eventIdFor('b', 'customer.created'));
    });

    it('falls back to the record time when the item has no timestamps', () => {
      // Prepare
      const record = fixture('company-remove');
      const withoutTime = structuredClone(record);
      delete (withoutTime.dynamodb as { ApproximateCreationDateTime?: number }).ApproximateCreationDateTime;

      // Act
      const [event] = eventsFromRecord(withoutTime);

      // Assess: with neither, the deleted item's last update time is used
      expect(event?.detail.occurredAt).toBe('2026-11-23T11:00:00.000Z');
    });

    it('throws EventMappingError for a profile that cannot produce a valid event', () => {
      // Prepare
      const record = withNewImage(fixture('customer-insert'), (image) => ({
        ...image,
        lifecycleStage: 'vip',
      }));

      // Act
      const act = () => eventsFromRecord(record);

      // Assess
      expect(act).toThrow(EventMappingError);
    });

    it('names only paths and codes in the mapping error, never values', () => {
      // Prepare
      const record = withNewImage(fixture('customer-insert'), (image) => ({
        ...image,
        lifecycleStage: 12345,
      }));

      // Act
      let error: EventMappingError | undefined;
      try {
        eventsFromRecord(record);
      } catch (caught) {
        error = caught as EventMappingError;
      }

      // Assess
      expect(error?.issues).toEqual([{ path: 'lifecycleStage', code: 'invalid_value' }]);
      expect(JSON.stringify(error?.issues)).not.toContain('12345');
    });
  });

  describe('Function: changedFields', () => {
    it('compares nested values regardless of map key order', () => {
      // Prepare
      const before = { attributes: { a: 1, b: 'x' }, tags: ['a'] };
      const after = { attributes: { b: 'x', a: 1 }, tags: ['a'] };

      // Act
      const fields = changedFields(before, after, new Set());

      // Assess
      expect(fields).toEqual([]);
    });

    it('reports added and removed fields, sorted, except skipped ones', () => {
      // Prepare
      const before = { jobTitle: 'CTO', updatedAt: '1', version: 1 };
      const after = { timezone: 'Europe/Berlin', updatedAt: '2', version: 2 };

      // Act
      const fields = changedFields(before, after, new Set(['updatedAt', 'version']));

      // Assess
      expect(fields).toEqual(['jobTitle', 'timezone']);
    });
  });
});
