/**
 * Offline key tests (tywalch/electrodb:test/offline.entity.spec.js style): every builder in the one
 * key module is pinned to its exact strings, because stored items outlive the code that wrote them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_SEND_SHARDS,
  campaignSendKey,
  companyContactKey,
  companyContactReverseKeys,
  companyListKeys,
  companyListShard,
  companyPartition,
  companyProfileKey,
  configKey,
  customerListKeys,
  customerListShard,
  customerPartition,
  customerPartitionKinds,
  customerProfileKey,
  customerStatsKey,
  customerSummaryKey,
  customerTimelineByType,
  customerTombstoneKey,
  HIDDEN_NAMESPACE,
  idempotencyPartition,
  LIST_SHARDS,
  normalizeDomain,
  normalizeEmail,
  orderKey,
  prefixes,
  SEGMENT_SHARDS,
  segmentMemberKey,
  shardOf,
  sortKeys,
  timelineByTypeKeys,
  timelineByTypeRange,
  timelineEntryByIdKeys,
  timelineEntryKey,
  timelineRange,
  uniqueDomainKey,
  uniqueEmailKey,
  VIEW_RANGE,
  viewQueryLimit,
  viewSummaryKinds,
} from '#shared/db/keys';
import { byteCompare, isoTimestampArb, ulidArb } from '#test/unit/support/arbitraries';

const CUSTOMER_ID = '01JD8X3Q9Z7N6M5K4H3G2F1E0D';
const COMPANY_ID = '01JF0000000000000000000000';
const ENTRY_ID = '01JF2A7B8C9D0E1F2G3H4J5K6M';
const OCCURRED_AT = '2026-11-23T09:30:00.000Z';

/** `start <= key <= end` in DynamoDB's byte order (what `BETWEEN :start AND :end` selects). */
const between = (key: string, range: { start: string; end: string }): boolean =>
  byteCompare(range.start, key) <= 0 && byteCompare(key, range.end) <= 0;

describe('Module: keys', () => {
  describe('Constant: prefixes', () => {
    it('pins every entity prefix', () => {
      // Assess
      expect(prefixes).toEqual({
        customer: 'CUS#',
        company: 'COM#',
        event: 'EVT#',
        eventType: 'EVTTYPE#',
        customerList: 'CUSLIST#',
        companyList: 'COMLIST#',
        uniqueEmail: 'UNIQ#EMAIL#',
        uniqueDomain: 'UNIQ#DOMAIN#',
        config: 'CONFIG#',
        idempotency: 'IDEMPOTENCY#',
        dedupe: 'DEDUPE#',
        webhook: 'WH#',
        delivery: 'DLV#',
        deliveryStatus: 'DLVSTATUS#',
        template: 'TPL#',
        templateVersion: 'TPLV#',
        uniqueTemplateName: 'UNIQ#TPLNAME#',
        viewSummary: 'S#',
        order: 'Z#ORD#',
        entryById: 'ENTRY#',
        segment: 'SEG#',
        campaign: 'CMP#',
        send: 'SEND#',
        recycleBin: 'BIN#',
        companyRecycleBin: 'COMBIN#',
        // audit log (part C)
        suppression: 'SUPP#',
        suppressionList: 'SUPPLIST#',
        audit: 'AUDIT#',
        auditByActor: 'AUDITBY#',
      });
    });

    it('gives every entity type a distinct prefix', () => {
      // Prepare
      const values = Object.values(prefixes);

      // Assess
      expect(new Set(values).size).toBe(values.length);
    });

    it('has no prefix that another prefix starts with', () => {
      // Prepare
      const values: string[] = Object.values(prefixes);

      // Act
      const clashes = values.flatMap((a) =>
        values.filter((b) => a !== b && b.startsWith(a)).map((b) => [a, b]),
      );

      // Assess
      expect(clashes).toEqual([]);
    });

    it('ends every prefix with the # separator', () => {
      // Assess
      for (const value of Object.values(prefixes)) expect(value).toMatch(/^[A-Z]+(?:#[A-Z]+)*#$/);
    });
  });

  describe('Constant: sortKeys', () => {
    it('pins the singleton sort keys', () => {
      // Assess
      expect(sortKeys).toEqual({
        profile: 'PROFILE',
        stats: 'STATS',
        unique: 'UNIQ',
        tombstone: 'TOMBSTONE',
      });
    });

    it('uses no singleton sort key that starts with an entity prefix', () => {
      // Prepare
      const singletons = Object.values(sortKeys);

      // Act
      const clashes = singletons.filter((sk) =>
        Object.values(prefixes).some((prefix) => sk.startsWith(prefix)),
      );

      // Assess
      expect(clashes).toEqual([]);
    });
  });

  describe('Function: shardOf', () => {
    it('pins the shard of known ids', () => {
      // Assess
      expect(LIST_SHARDS).toBe(4);
      expect(shardOf(CUSTOMER_ID)).toBe(3);
      expect(shardOf('01JD8X3Q9Z7N6M5K4H3G2F1E0G')).toBe(1);
      expect(shardOf(COMPANY_ID)).toBe(0);
    });

    it('returns an integer shard in [0, LIST_SHARDS) for any id', () => {
      fc.assert(
        fc.property(fc.string(), (id) => {
          // Act
          const shard = shardOf(id);

          // Assess
          expect(Number.isInteger(shard)).toBe(true);
          expect(shard).toBeGreaterThanOrEqual(0);
          expect(shard).toBeLessThan(LIST_SHARDS);
        }),
        { numRuns: 200 },
      );
    });

    it('returns the same shard every time for the same id', () => {
      fc.assert(
        fc.property(ulidArb(), (id) => {
          // Act
          const first = shardOf(id);
          const second = shardOf(`${id}`);

          // Assess
          expect(second).toBe(first);
        }),
        { numRuns: 200 },
      );
    });

    it('uses every shard across many ids', () => {
      // Prepare
      const ids = fc.sample(ulidArb(), { numRuns: 200, seed: 42 });

      // Act
      const used = new Set(ids.map(shardOf));

      // Assess
      expect([...used].sort()).toEqual([0, 1, 2, 3]);
    });
  });

  describe('Function: normalizeEmail', () => {
    it('trims and lower-cases an address', () => {
      // Act
      const normalized = normalizeEmail('  Ada.Lovelace@Example.COM\t');

      // Assess
      expect(normalized).toBe('ada.lovelace@example.com');
    });

    it('is idempotent', () => {
      fc.assert(
        fc.property(fc.string(), (email) => {
          // Act
          const once = normalizeEmail(email);

          // Assess
          expect(normalizeEmail(once)).toBe(once);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('Function: normalizeDomain', () => {
    it('trims, lower-cases, drops a leading www. and a trailing dot', () => {
      // Act
      const normalized = normalizeDomain('  WWW.Example.CO.UK. ');

      // Assess
      expect(normalized).toBe('example.co.uk');
    });

    it('keeps a www that is not a leading label', () => {
      // Act
      const normalized = normalizeDomain('shop.www.example.com');

      // Assess
      expect(normalized).toBe('shop.www.example.com');
    });

    it('maps a domain and its www. form to the same guard key', () => {
      // Act
      const plain = uniqueDomainKey('example.com');
      const www = uniqueDomainKey('www.EXAMPLE.com.');

      // Assess
      expect(www).toEqual(plain);
    });
  });

  describe('Customer keys', () => {
    it('builds the customer partition', () => {
      // Assess
      expect(customerPartition(CUSTOMER_ID)).toBe('CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D');
    });

    it('builds the profile key', () => {
      // Assess
      expect(customerProfileKey(CUSTOMER_ID)).toEqual({
        pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
        sk: 'PROFILE',
      });
    });

    it('builds the stats key', () => {
      // Assess
      expect(customerStatsKey(CUSTOMER_ID)).toEqual({ pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D', sk: 'STATS' });
    });

    it('builds the list shard partition', () => {
      // Assess
      expect(customerListShard(2)).toBe('CUSLIST#2');
    });

    it('builds the list keys on the shard of the id', () => {
      // Assess
      expect(customerListKeys(CUSTOMER_ID)).toEqual({
        gsi2pk: 'CUSLIST#3',
        gsi2sk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
      });
    });

    it('builds the unique-email guard from the normalized address', () => {
      // Assess
      expect(uniqueEmailKey(' Ada@Example.com ')).toEqual({ pk: 'UNIQ#EMAIL#ada@example.com', sk: 'UNIQ' });
    });
  });

  describe('Timeline keys', () => {
    it('builds the entry key on the customer partition', () => {
      // Assess
      expect(timelineEntryKey(CUSTOMER_ID, OCCURRED_AT, ENTRY_ID)).toEqual({
        pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
        sk: 'EVT#2026-11-23T09:30:00.000Z#01JF2A7B8C9D0E1F2G3H4J5K6M',
      });
    });

    it('builds the per-customer type partition', () => {
      // Assess
      expect(customerTimelineByType(CUSTOMER_ID, 'call')).toBe('CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D#EVTTYPE#call');
    });

    it('builds the per-customer type keys on gsi2', () => {
      // Assess
      expect(timelineByTypeKeys(CUSTOMER_ID, 'call', OCCURRED_AT, ENTRY_ID)).toEqual({
        gsi2pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D#EVTTYPE#call',
        gsi2sk: '2026-11-23T09:30:00.000Z#01JF2A7B8C9D0E1F2G3H4J5K6M',
      });
    });

    it('builds timeline range bounds', () => {
      // Assess
      expect(timelineRange('2026-01-01T00:00:00.000Z', '2026-12-31T23:59:59.999Z')).toEqual({
        start: 'EVT#2026-01-01T00:00:00.000Z',
        end: 'EVT#2026-12-31T23:59:59.999Z~',
      });
    });

    it('builds open timeline range bounds that cover the whole EVT# prefix', () => {
      // Assess
      expect(timelineRange()).toEqual({ start: 'EVT#', end: 'EVT#~' });
    });

    it('builds typed range bounds', () => {
      // Assess
      expect(timelineByTypeRange('2026-01-01T00:00:00.000Z', '2026-12-31T23:59:59.999Z')).toEqual({
        start: '2026-01-01T00:00:00.000Z',
        end: '2026-12-31T23:59:59.999Z~',
      });
    });

    it('builds open typed range bounds that are never empty strings', () => {
      // Assess
      expect(timelineByTypeRange()).toEqual({ start: '0', end: '~' });
    });
  });

  describe('Company keys', () => {
    it('builds the company partition', () => {
      // Assess
      expect(companyPartition(COMPANY_ID)).toBe('COM#01JF0000000000000000000000');
    });

    it('builds the profile key', () => {
      // Assess
      expect(companyProfileKey(COMPANY_ID)).toEqual({ pk: 'COM#01JF0000000000000000000000', sk: 'PROFILE' });
    });

    it('builds the list shard partition', () => {
      // Assess
      expect(companyListShard(1)).toBe('COMLIST#1');
    });

    it('builds the list keys on the shard of the id', () => {
      // Assess
      expect(companyListKeys(COMPANY_ID)).toEqual({
        gsi2pk: 'COMLIST#0',
        gsi2sk: 'COM#01JF0000000000000000000000',
      });
    });

    it('builds the contact link on the company partition', () => {
      // Assess
      expect(companyContactKey(COMPANY_ID, CUSTOMER_ID)).toEqual({
        pk: 'COM#01JF0000000000000000000000',
        sk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
      });
    });

    it('builds the reverse contact link on gsi1', () => {
      // Assess
      expect(companyContactReverseKeys(COMPANY_ID, CUSTOMER_ID)).toEqual({
        gsi1pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
        gsi1sk: 'COM#01JF0000000000000000000000',
      });
    });

    it('builds the unique-domain guard from the normalized domain', () => {
      // Assess
      expect(uniqueDomainKey('WWW.Example.com')).toEqual({ pk: 'UNIQ#DOMAIN#example.com', sk: 'UNIQ' });
    });
  });

  describe('Configuration and idempotency keys', () => {
    it('builds a settings item key', () => {
      // Assess
      expect(configKey('customer-attributes')).toEqual({ pk: 'CONFIG#customer-attributes', sk: 'PROFILE' });
    });

    it('builds an idempotency shard partition', () => {
      // Assess
      expect(idempotencyPartition('5')).toBe('IDEMPOTENCY#5');
    });
  });

  describe('Invariant: the 360 view order', () => {
    it('sorts STATS above PROFILE above every timeline entry', () => {
      fc.assert(
        fc.property(ulidArb(), isoTimestampArb(), ulidArb(), (customerId, occurredAt, entryId) => {
          // Prepare
          const { sk } = timelineEntryKey(customerId, occurredAt, entryId);

          // Assess
          expect(byteCompare(sortKeys.stats, sortKeys.profile)).toBeGreaterThan(0);
          expect(byteCompare(sortKeys.profile, sk)).toBeGreaterThan(0);
        }),
        { numRuns: 300 },
      );
    });

    it('keeps stats, profile and every entry inside the view query bounds EVT# .. STATS', () => {
      fc.assert(
        fc.property(ulidArb(), isoTimestampArb(), ulidArb(), (customerId, occurredAt, entryId) => {
          // Prepare
          const viewRange = { start: prefixes.event, end: sortKeys.stats };
          const { sk } = timelineEntryKey(customerId, occurredAt, entryId);

          // Assess
          expect(between(sk, viewRange)).toBe(true);
          expect(between(sortKeys.profile, viewRange)).toBe(true);
          expect(between(sortKeys.stats, viewRange)).toBe(true);
        }),
        { numRuns: 200 },
      );
    });

    it('orders entries of one customer by time, then by id', () => {
      fc.assert(
        fc.property(isoTimestampArb(), ulidArb(), isoTimestampArb(), ulidArb(), (t1, id1, t2, id2) => {
          // Act
          const a = timelineEntryKey(CUSTOMER_ID, t1, id1).sk;
          const b = timelineEntryKey(CUSTOMER_ID, t2, id2).sk;

          // Assess
          const expected = t1 === t2 ? Math.sign(byteCompare(id1, id2)) : Math.sign(byteCompare(t1, t2));
          expect(Math.sign(byteCompare(a, b))).toBe(expected);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('Invariant: the customer partition namespace', () => {
    /** Every sort-key builder of the customer partition with the kind it claims to be. */
    const builders: Array<{ kind: string; build: fc.Arbitrary<string> }> = [
      { kind: 'profile', build: ulidArb().map((id) => customerProfileKey(id).sk) },
      { kind: 'stats', build: ulidArb().map((id) => customerStatsKey(id).sk) },
      {
        kind: 'timelineEntry',
        build: fc
          .tuple(ulidArb(), isoTimestampArb(), ulidArb())
          .map(([id, at, entryId]) => timelineEntryKey(id, at, entryId).sk),
      },
      {
        kind: 'hidden',
        build: fc
          .tuple(
            ulidArb(),
            fc.string({ unit: fc.constantFrom(...'!#-09AZaz~'), minLength: 1, maxLength: 100 }),
          )
          .map(([id, orderId]) => orderKey(id, orderId).sk),
      },
      { kind: 'tombstone', build: ulidArb().map((id) => customerTombstoneKey(id).sk) },
    ];
    const kindOf = (name: string) => customerPartitionKinds.find((k) => k.name === name);

    it('pins the view range and the namespace table', () => {
      // Assess
      expect(VIEW_RANGE).toEqual({ start: 'EVT#', end: 'STATS' });
      expect(HIDDEN_NAMESPACE).toBe('Z#');
      expect(customerPartitionKinds.map((k) => [k.name, k.sortKey, k.inView])).toEqual([
        ['stats', 'STATS', true],
        ['summary', 'S#', true],
        ['profile', 'PROFILE', true],
        ['timelineEntry', 'EVT#', true],
        ['hidden', 'Z#', false],
        ['tombstone', 'TOMBSTONE', false],
      ]);
    });

    it('puts every sort key a builder makes in the view range exactly when its kind is in the view', () => {
      for (const { kind, build } of builders) {
        const declared = kindOf(kind);
        expect(declared, `kind ${kind} is declared`).toBeDefined();
        fc.assert(
          fc.property(build, (sk) => {
            // Assess
            expect(sk.startsWith(declared?.sortKey ?? '\u0000')).toBe(true);
            expect(between(sk, VIEW_RANGE)).toBe(declared?.inView);
          }),
          { numRuns: 200 },
        );
      }
    });

    it('keeps every prefix that is not part of the view outside the view range', () => {
      // Prepare: any suffix after a non-view prefix
      const outside = customerPartitionKinds.filter((k) => !k.inView);

      // Assess
      fc.assert(
        fc.property(fc.constantFrom(...outside), fc.string({ maxLength: 40 }), (kind, rest) => {
          const sk = kind.singleton ? kind.sortKey : `${kind.sortKey}${rest}`;
          expect(between(sk, VIEW_RANGE)).toBe(false);
        }),
        { numRuns: 300 },
      );
    });

    it('keeps every prefix of the view inside the view range', () => {
      const inside = customerPartitionKinds.filter((k) => k.inView);
      fc.assert(
        fc.property(
          fc.constantFrom(...inside),
          fc.stringMatching(/^[0-9A-Za-z#:.-]{0,40}$/),
          (kind, rest) => {
            const sk = kind.singleton ? kind.sortKey : `${kind.sortKey}${rest}`;
            expect(between(sk, VIEW_RANGE)).toBe(true);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('classifies every key prefix that can appear as a sort key on the customer partition', () => {
      // A prefix is either a declared kind, under a declared kind, or never used as a customer sort key.
      const notCustomerSortKeys = new Set<string>([
        prefixes.customer, // pk only (and the company link's sk on a COMPANY partition)
        prefixes.company,
        prefixes.eventType,
        prefixes.customerList,
        prefixes.companyList,
        prefixes.uniqueEmail,
        prefixes.uniqueDomain,
        prefixes.config,
        prefixes.idempotency,
        prefixes.dedupe,
        prefixes.webhook,
        prefixes.delivery,
        prefixes.deliveryStatus,
        prefixes.template,
        prefixes.templateVersion,
        prefixes.uniqueTemplateName,
        prefixes.entryById, // gsi1 sort key
        prefixes.segment,
        prefixes.campaign,
        prefixes.send,
        prefixes.recycleBin, // gsi2 partition
        prefixes.companyRecycleBin, // gsi2 partition
        prefixes.audit,
        prefixes.auditByActor,
        prefixes.suppression, // pk only (the sort key is SUPPRESSION)
        prefixes.suppressionList, // gsi2 partition
      ]);
      const unclassified = Object.values(prefixes).filter(
        (prefix) =>
          !notCustomerSortKeys.has(prefix) &&
          !customerPartitionKinds.some((k) => prefix.startsWith(k.sortKey)),
      );
      expect(unclassified).toEqual([]);
    });

    it('sizes the view Query for the entries plus every singleton of the range', () => {
      // Assess
      expect(viewSummaryKinds).toEqual(['consents']);
      expect(viewQueryLimit(10)).toBe(13);
    });

    it('builds summary, order, tombstone and entry-by-id keys', () => {
      // Assess
      expect(orderKey(CUSTOMER_ID, 'A-1001')).toEqual({ pk: `CUS#${CUSTOMER_ID}`, sk: 'Z#ORD#A-1001' });
      expect(customerTombstoneKey(CUSTOMER_ID)).toEqual({ pk: `CUS#${CUSTOMER_ID}`, sk: 'TOMBSTONE' });
      expect(timelineEntryByIdKeys(CUSTOMER_ID, ENTRY_ID)).toEqual({
        gsi1pk: `CUS#${CUSTOMER_ID}`,
        gsi1sk: `ENTRY#${ENTRY_ID}`,
      });
      expect(typeof customerSummaryKey).toBe('function');
    });
  });

  describe('Reserved: sharded segment members and campaign sends', () => {
    it('pins the keys of a known member and send', () => {
      // Assess
      expect(segmentMemberKey('SEG1', CUSTOMER_ID).sk).toBe(`CUS#${CUSTOMER_ID}`);
      expect(segmentMemberKey('SEG1', CUSTOMER_ID).pk).toMatch(/^SEG#SEG1#\d{1,2}$/);
      expect(campaignSendKey('CMP1', CUSTOMER_ID).sk).toBe(`SEND#${CUSTOMER_ID}`);
      expect(campaignSendKey('CMP1', CUSTOMER_ID).pk).toMatch(/^CMP#CMP1#\d{1,2}$/);
    });

    it('spreads 4,000 members over every shard, none with more than twice its share', () => {
      fc.assert(
        fc.property(fc.array(ulidArb(), { minLength: 4000, maxLength: 4000 }), (ids) => {
          for (const [keyOf, shards] of [
            [(id: string) => segmentMemberKey('S', id).pk, SEGMENT_SHARDS],
            [(id: string) => campaignSendKey('C', id).pk, CAMPAIGN_SEND_SHARDS],
          ] as const) {
            const counts = new Map<string, number>();
            for (const id of ids) counts.set(keyOf(id), (counts.get(keyOf(id)) ?? 0) + 1);
            expect(counts.size).toBe(shards);
            expect(Math.max(...counts.values())).toBeLessThan((2 * ids.length) / shards);
          }
        }),
        { numRuns: 2 },
      );
    });
  });

  describe('Invariant: timeline range bounds', () => {
    /** Three sorted instants: the range is [from, to]; `ts` is anywhere. */
    const rangeAndInstant = fc
      .tuple(isoTimestampArb(), isoTimestampArb(), isoTimestampArb(), ulidArb())
      .map(([a, b, ts, id]) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        return { from, to, ts, id };
      });

    it('includes exactly the timeline entries whose timestamp is within [from, to]', () => {
      fc.assert(
        fc.property(rangeAndInstant, ({ from, to, ts, id }) => {
          // Prepare
          const { sk } = timelineEntryKey(CUSTOMER_ID, ts, id);

          // Act
          const selected = between(sk, timelineRange(from, to));

          // Assess
          expect(selected).toBe(from <= ts && ts <= to);
        }),
        { numRuns: 300 },
      );
    });

    it('includes the entries exactly at both bounds', () => {
      fc.assert(
        fc.property(rangeAndInstant, ({ from, to, id }) => {
          // Act
          const range = timelineRange(from, to);

          // Assess
          expect(between(timelineEntryKey(CUSTOMER_ID, from, id).sk, range)).toBe(true);
          expect(between(timelineEntryKey(CUSTOMER_ID, to, id).sk, range)).toBe(true);
        }),
        { numRuns: 200 },
      );
    });

    it('applies a one-sided timeline range on the open side', () => {
      fc.assert(
        fc.property(rangeAndInstant, ({ from, to, ts, id }) => {
          // Prepare
          const { sk } = timelineEntryKey(CUSTOMER_ID, ts, id);

          // Assess
          expect(between(sk, timelineRange(from))).toBe(from <= ts);
          expect(between(sk, timelineRange(undefined, to))).toBe(ts <= to);
        }),
        { numRuns: 200 },
      );
    });

    it('leaves the profile and stats items out of every timeline range', () => {
      fc.assert(
        fc.property(rangeAndInstant, ({ from, to }) => {
          // Prepare
          const ranges = [
            timelineRange(from, to),
            timelineRange(from),
            timelineRange(undefined, to),
            timelineRange(),
          ];

          // Assess
          for (const range of ranges) {
            expect(between(sortKeys.profile, range)).toBe(false);
            expect(between(sortKeys.stats, range)).toBe(false);
          }
        }),
        { numRuns: 100 },
      );
    });

    it('includes exactly the typed entries whose timestamp is within [from, to]', () => {
      fc.assert(
        fc.property(rangeAndInstant, ({ from, to, ts, id }) => {
          // Prepare
          const { gsi2sk } = timelineByTypeKeys(CUSTOMER_ID, 'order', ts, id);

          // Act
          const selected = between(gsi2sk, timelineByTypeRange(from, to));

          // Assess
          expect(selected).toBe(from <= ts && ts <= to);
        }),
        { numRuns: 300 },
      );
    });

    it('applies a one-sided or open typed range on the open side', () => {
      fc.assert(
        fc.property(rangeAndInstant, ({ from, to, ts, id }) => {
          // Prepare
          const { gsi2sk } = timelineByTypeKeys(CUSTOMER_ID, 'order', ts, id);

          // Assess
          expect(between(gsi2sk, timelineByTypeRange(from))).toBe(from <= ts);
          expect(between(gsi2sk, timelineByTypeRange(undefined, to))).toBe(ts <= to);
          expect(between(gsi2sk, timelineByTypeRange())).toBe(true);
        }),
        { numRuns: 200 },
      );
    });
  });
});
