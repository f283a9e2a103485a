/** The audit mapping: item change → audit entry (who, what, when — field names, never values). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configKey, customerListKeys, customerProfileKey, timelineEntryKey } from '#shared/db/keys';
import { AuditMappingError, auditEntryOf, auditIdFor, type ItemChange } from '#shared/domain/audit/mapping';

type Item = Record<string, unknown>;

const CUSTOMER_ID = '01JF0000000000000000000001';
const SUB = '7d0c6a8e-0b7b-4a7e-9a51-3f1f0d6c2b11';

const stampOf = (at: string, sub = SUB) => ({
  actor: { type: 'user', id: sub },
  roles: ['sales'],
  correlationId: 'corr-1',
  sourceIp: '203.0.113.7',
  at,
});

const customer = (version: number, fields: Item = {}, at = '2026-12-01T10:00:00.000Z'): Item => ({
  ...customerProfileKey(CUSTOMER_ID),
  ...customerListKeys(CUSTOMER_ID),
  entity: 'customer',
  id: CUSTOMER_ID,
  firstName: 'Ada',
  lifecycleStage: 'lead',
  version,
  updatedAt: at,
  lastChange: stampOf(at),
  ...fields,
});

const change = (eventName: ItemChange['eventName'], before?: Item, after?: Item): ItemChange => ({
  eventID: 'stream-event-1',
  eventName,
  approximateAt: '2026-12-01T10:00:05.000Z',
  before,
  after,
});

describe('Function: auditEntryOf', () => {
  it('maps a profile edit to "updated" with the changed field names and the stamped actor', () => {
    // Prepare
    const before = customer(1);
    const after = customer(2, {
      lifecycleStage: 'customer',
      lastChange: stampOf('2026-12-01T11:00:00.000Z'),
    });

    // Act
    const entry = auditEntryOf(change('MODIFY', before, after));

    // Assess
    expect(entry).toEqual({
      auditId: auditIdFor('stream-event-1'),
      at: '2026-12-01T11:00:00.000Z',
      actor: { type: 'user', id: SUB },
      roles: ['sales'],
      correlationId: 'corr-1',
      sourceIp: '203.0.113.7',
      entityType: 'customer',
      entityId: CUSTOMER_ID,
      item: 'customer',
      action: 'updated',
      changedFields: ['lifecycleStage'],
      version: 2,
    });
  });

  it('maps an insert to "created" listing the fields that were set', () => {
    // Act
    const entry = auditEntryOf(change('INSERT', undefined, customer(1)));

    // Assess
    expect(entry?.action).toBe('created');
    expect(entry?.changedFields).toEqual(['firstName', 'id', 'lifecycleStage']);
  });

  it('maps deletedAt appearing to "deleted" and disappearing to "restored" (the recycle bin)', () => {
    // Prepare
    const live = customer(1);
    const binned = customer(2, {
      deletedAt: '2026-12-01T12:00:00.000Z',
      purgeAt: '2027-01-01T12:00:00.000Z',
      lastChange: stampOf('2026-12-01T12:00:00.000Z'),
    });
    const restored = customer(3, { lastChange: stampOf('2026-12-02T08:00:00.000Z') });

    // Act
    const deleted = auditEntryOf(change('MODIFY', live, binned));
    const back = auditEntryOf(change('MODIFY', binned, restored));

    // Assess
    expect(deleted?.action).toBe('deleted');
    expect(deleted?.changedFields).toEqual(['deletedAt', 'purgeAt']);
    expect(back?.action).toBe('restored');
  });

  it('ignores a MODIFY that does not raise the version (a counter update by another writer)', () => {
    // Act
    const entry = auditEntryOf(change('MODIFY', customer(3), customer(3, { contactsCount: 4 })));

    // Assess
    expect(entry).toBeUndefined();
  });

  it('attributes a MODIFY whose lastChange was not renewed to the system, at the record time', () => {
    // Prepare
    const before = customer(1);
    const after = { ...customer(2, { lifecycleStage: 'customer' }), lastChange: before.lastChange };

    // Act
    const entry = auditEntryOf(change('MODIFY', before, after));

    // Assess
    expect(entry?.actor).toEqual({ type: 'system', id: 'unattributed' });
    expect(entry?.at).toBe('2026-12-01T10:00:05.000Z');
    expect(entry?.sourceIp).toBeUndefined();
  });

  it('maps the removal of a profile to "purged" and a TTL deletion to the ttl actor', () => {
    // Act
    const entry = auditEntryOf({ ...change('REMOVE', customer(4)), byTtl: true });

    // Assess
    expect(entry?.action).toBe('purged');
    expect(entry?.changedFields).toEqual([]);
    expect(entry?.actor).toEqual({ type: 'system', id: 'ttl' });
  });

  it('maps an erasure tombstone to "erased" on the customer, keeping only the reason category', () => {
    // Prepare
    const tombstone = {
      pk: customerProfileKey(CUSTOMER_ID).pk,
      sk: 'TOMBSTONE',
      entity: 'customerTombstone',
      customerId: CUSTOMER_ID,
      reason: 'erasure',
      requestedAt: '2026-12-03T09:00:00.000Z',
      requestedBy: SUB,
      lastChange: stampOf('2026-12-03T09:00:00.000Z'),
    };

    // Act
    const erased = auditEntryOf(change('INSERT', undefined, tombstone));
    const retention = auditEntryOf(change('INSERT', undefined, { ...tombstone, reason: 'retention' }));

    // Assess
    expect(erased).toMatchObject({
      entityType: 'customer',
      entityId: CUSTOMER_ID,
      action: 'erased',
      reason: 'erasure',
    });
    expect(retention).toMatchObject({ action: 'purge_requested', reason: 'retention' });
  });

  it('files a timeline entry under its customer, with the entry id', () => {
    // Prepare
    const entryId = '01JF0000000000000000000002';
    const entry = {
      ...timelineEntryKey(CUSTOMER_ID, '2026-12-01T10:00:00.000Z', entryId),
      entity: 'timelineEntry',
      id: entryId,
      customerId: CUSTOMER_ID,
      type: 'note',
      occurredAt: '2026-12-01T10:00:00.000Z',
      lastChange: stampOf('2026-12-01T10:00:00.000Z'),
    };

    // Act
    const audited = auditEntryOf(change('INSERT', undefined, entry));

    // Assess
    expect(audited).toMatchObject({
      entityType: 'customer',
      entityId: CUSTOMER_ID,
      item: 'timelineEntry',
      itemId: entryId,
    });
  });

  it('names a settings item by its config name', () => {
    // Prepare
    const item = { ...configKey('customer-attributes'), entity: 'config', definitions: [], version: 1 };

    // Act
    const audited = auditEntryOf(change('INSERT', undefined, item));

    // Assess
    expect(audited).toMatchObject({ entityType: 'settings', entityId: 'customer-attributes' });
  });

  it('maps nothing for items that are not audited', () => {
    // Act
    const entry = auditEntryOf(change('INSERT', undefined, { pk: 'X', sk: 'Y', entity: 'customerStats' }));

    // Assess
    expect(entry).toBeUndefined();
  });

  it('throws AuditMappingError for an audited item without the id naming its entity', () => {
    // Prepare
    const broken = { ...customer(1), id: undefined };

    // Act / Assess
    expect(() => auditEntryOf(change('INSERT', undefined, broken))).toThrow(AuditMappingError);
  });
});

describe('Property: an audit entry holds field names, never field values', () => {
  const fieldName = fc
    .stringMatching(/^[a-z][a-zA-Z]{0,11}$/)
    .filter(
      (name) =>
        !['id', 'version', 'entity', 'pk', 'sk', 'updatedAt', 'lastChange', 'deletedAt'].includes(name),
    );
  // Values carry a marker no field name, key, id or timestamp contains.
  const value = fc.oneof(
    fc.string({ minLength: 1, maxLength: 12 }).map((s) => `§${s}`),
    fc.array(
      fc.string({ maxLength: 6 }).map((s) => `§${s}`),
      { minLength: 1, maxLength: 3 },
    ),
    fc.record({ nested: fc.string({ maxLength: 6 }).map((s) => `§${s}`) }),
  );
  const fields = fc.dictionary(fieldName, value, { minKeys: 1, maxKeys: 8 });

  it('for every insert and every edit of a customer profile', () => {
    fc.assert(
      fc.property(fields, fields, fc.constantFrom('INSERT', 'MODIFY'), (was, is, eventName) => {
        // Prepare
        const before = customer(1, was);
        const after = customer(2, is, '2026-12-01T11:00:00.000Z');

        // Act
        const entry = auditEntryOf(
          change(eventName as 'INSERT' | 'MODIFY', eventName === 'MODIFY' ? before : undefined, after),
        );

        // Assess
        const text = JSON.stringify(entry ?? {});
        expect(text).not.toContain('§');
        for (const name of entry?.changedFields ?? []) {
          expect(Object.hasOwn(before, name) || Object.hasOwn(after, name)).toBe(true);
        }
      }),
    );
  });
});
