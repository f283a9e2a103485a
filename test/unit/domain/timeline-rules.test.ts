/**
 * Timeline entries: the input schema (one JSON fixture per entry type under
 * test/fixtures/timeline/) and how each entry changes the customer's aggregates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyStats, fromMinor, statsDelta, sumDeltas, toMinor } from '#shared/domain/timeline/rules';
import {
  contactTypes,
  type EntryType,
  scoreRanges,
  type TimelineEntry,
  TimelineEntryInput,
} from '#shared/domain/timeline/schemas';
import { fieldErrorsFrom } from '#shared/errors';

const FIXTURES = new URL('../../fixtures/timeline/', import.meta.url);
const fixtures = new Map(
  readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [
      file.slice(0, -'.json'.length),
      JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')),
    ]),
);

/** A fresh copy of the fixture for one entry type. */
const fixture = (type: string): Record<string, unknown> => {
  const recorded = fixtures.get(type);
  if (!recorded) throw new Error(`no fixture test/fixtures/timeline/${type}.json`);
  return structuredClone(recorded);
};

const inputTypes = TimelineEntryInput.def.options.map(
  (option) => option.shape.type.def.values[0] as TimelineEntryInput['type'],
);

/** A stored entry as the service builds it from a validated input. */
const entryOf = (input: Record<string, unknown>): TimelineEntry => {
  const parsed = TimelineEntryInput.parse(input);
  return {
    ...parsed,
    id: '01JF2A7B8C9D0E1F2G3H4J5K6M',
    customerId: '01JD8X3Q9Z7N6M5K4H3G2F1E0D',
    occurredAt: parsed.occurredAt ?? '2026-11-23T09:30:00.000Z',
    recordedAt: '2026-11-23T09:30:01.000Z',
    actor: { type: 'user', id: 'user-1' },
  };
};

const pathsOf = (input: unknown): string[] => {
  const parsed = TimelineEntryInput.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.success ? [] : fieldErrorsFrom(parsed.error.issues, 'body').map((e) => e.path);
};

describe('Schema: TimelineEntryInput', () => {
  it('has a fixture for every entry type clients may append', () => {
    // Assess
    expect(inputTypes.filter((type) => !fixtures.has(type))).toEqual([]);
  });

  it.each(inputTypes)('parses the %s fixture', (type) => {
    // Prepare
    const input = fixture(type);

    // Act
    const parsed = TimelineEntryInput.safeParse(input);

    // Assess
    expect(parsed.error).toBeUndefined();
    expect(parsed.data?.type).toBe(type);
  });

  it('rejects a lifecycle_change entry, which only Relay itself writes', () => {
    // Prepare
    const input = fixture('lifecycle_change');

    // Act
    const paths = pathsOf(input);

    // Assess
    expect(paths).toEqual(['body.type']);
  });

  it.each([{ type: 'system' }, { type: 'user', id: 'someone-else' }])(
    'rejects a client-named actor %o: the writer comes from the token',
    (actor) => {
      // Prepare
      const input = { ...fixture('note'), actor };

      // Act
      const paths = pathsOf(input);

      // Assess
      expect(paths).toEqual(['body.actor']);
    },
  );

  it('accepts the customer or an external system as the source of an entry', () => {
    // Prepare
    const fromCustomer = { ...fixture('web_visit'), source: { type: 'customer' } };
    const fromSystem = { ...fixture('order'), source: { type: 'external', id: 'shop' } };

    // Act
    const parsed = [fromCustomer, fromSystem].map((input) => TimelineEntryInput.safeParse(input));

    // Assess
    expect(parsed.map((p) => p.data?.source)).toEqual([
      { type: 'customer' },
      { type: 'external', id: 'shop' },
    ]);
  });

  it('rejects an entry without a type', () => {
    // Prepare
    const { type: _type, ...input } = fixture('note');

    // Act
    const paths = pathsOf(input);

    // Assess
    expect(paths).toEqual(['body.type']);
  });

  it.each(inputTypes)('rejects an unknown field on a %s entry at its own path', (type) => {
    // Prepare
    const input = { ...fixture(type), internalScore: 99 };

    // Act
    const paths = pathsOf(input);

    // Assess
    expect(paths).toEqual(['body.internalScore']);
  });

  it('rejects an unknown field inside an order item', () => {
    // Prepare
    const input = fixture('order');
    (input.items as Array<Record<string, unknown>>)[1] = {
      sku: 'X-1',
      quantity: 1,
      unitPrice: 1,
      discount: 0.5,
    };

    // Act
    const paths = pathsOf(input);

    // Assess
    expect(paths).toEqual(['body.items[1].discount']);
  });

  it.each(Object.entries(scoreRanges))('accepts exactly the %s scores in range', (kind, [min, max]) => {
    fc.assert(
      fc.property(fc.integer({ min: -20, max: 20 }), (score) => {
        // Prepare
        const input = { ...fixture('survey_response'), kind, score };

        // Act
        const parsed = TimelineEntryInput.safeParse(input);

        // Assess
        expect(parsed.success).toBe(score >= min && score <= max);
      }),
      { numRuns: 100 },
    );
  });

  it('reports an out-of-range score at body.score with the valid range', () => {
    // Prepare
    const input = { ...fixture('survey_response'), kind: 'csat', score: 9 };

    // Act
    const parsed = TimelineEntryInput.safeParse(input);

    // Assess
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ['score'], message: 'csat scores are 1-5' }),
    ]);
  });

  it('rejects a fractional score', () => {
    // Prepare
    const input = { ...fixture('survey_response'), score: 8.5 };

    // Act
    const paths = pathsOf(input);

    // Assess
    expect(paths).toEqual(['body.score']);
  });

  it('rejects an amount with more than two decimal places', () => {
    // Prepare
    const input = { ...fixture('order'), amount: 19.999 };

    // Act
    const paths = pathsOf(input);

    // Assess
    expect(paths).toEqual(['body.amount']);
  });

  it('accepts any amount with at most two decimals up to the maximum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000_000 }), (cents) => {
        // Prepare
        const input = { ...fixture('order'), amount: cents / 100 };

        // Act
        const parsed = TimelineEntryInput.safeParse(input);

        // Assess
        expect(parsed.success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a currency that is not an ISO 4217 code', () => {
    // Prepare
    const input = { ...fixture('order'), currency: 'eur' };

    // Act
    const paths = pathsOf(input);

    // Assess
    expect(paths).toEqual(['body.currency']);
  });

  it('requires a channel on a complaint', () => {
    // Prepare
    const { channel: _channel, ...input } = fixture('complaint');

    // Act
    const paths = pathsOf(input);

    // Assess
    expect(paths).toEqual(['body.channel']);
  });

  it('rejects a web visit to a non-http URL', () => {
    // Prepare
    const input = { ...fixture('web_visit'), url: 'javascript:alert(1)' };

    // Act
    const paths = pathsOf(input);

    // Assess
    expect(paths).toEqual(['body.url']);
  });

  it('stores occurredAt in UTC', () => {
    // Prepare
    const input = { ...fixture('note'), occurredAt: '2026-11-23T10:30:00+01:00' };

    // Act
    const parsed = TimelineEntryInput.parse(input);

    // Assess
    expect(parsed.occurredAt).toBe('2026-11-23T09:30:00.000Z');
  });

  it('defaults an order to placed with no items', () => {
    // Prepare
    const { status: _status, items: _items, ...input } = fixture('order');

    // Act
    const parsed = TimelineEntryInput.parse(input);

    // Assess
    expect(parsed).toMatchObject({ status: 'placed', items: [] });
  });
});

describe('Function: statsDelta', () => {
  it('counts an order and adds its amount in minor units', () => {
    // Prepare
    const entry = entryOf(fixture('order'));

    // Act
    const delta = statsDelta(entry);

    // Assess
    expect(delta).toEqual({
      counters: { ordersCount: 1 },
      revenueMinor: { EUR: 12990 },
      entryType: 'order',
      latest: { lastOrderAt: '2026-11-20T14:05:00.000Z', lastContactAt: '2026-11-20T14:05:00.000Z' },
    });
  });

  it('adds no revenue for a cancelled order', () => {
    // Prepare
    const entry = entryOf({ ...fixture('order'), status: 'cancelled' });

    // Act
    const delta = statsDelta(entry);

    // Assess
    expect(delta.revenueMinor).toEqual({});
    expect(delta.counters).toEqual({ ordersCount: 1 });
  });

  it('converts any two-decimal amount to exact minor units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000_000 }), (cents) => {
        // Prepare
        const entry = { ...entryOf(fixture('order')), amount: cents / 100 };

        // Act
        const delta = statsDelta(entry);

        // Assess
        expect(delta.revenueMinor).toEqual({ EUR: cents });
      }),
      { numRuns: 200 },
    );
  });

  it('counts a complaint as received and open', () => {
    // Prepare
    const entry = entryOf(fixture('complaint'));

    // Act
    const delta = statsDelta(entry);

    // Assess
    expect(delta).toEqual({
      counters: { complaintsCount: 1, openComplaints: 1 },
      revenueMinor: {},
      entryType: 'complaint',
      latest: { lastContactAt: '2026-11-21T16:40:00.000Z' },
    });
  });

  it.each([...contactTypes])('moves lastContactAt for a %s entry', (type) => {
    // Prepare
    const entry = entryOf(fixture(type));

    // Act
    const delta = statsDelta(entry);

    // Assess
    expect(delta.latest.lastContactAt).toBe(entry.occurredAt);
  });

  it.each(['note', 'web_visit'] satisfies EntryType[])(
    'leaves lastContactAt alone for a %s entry',
    (type) => {
      // Prepare
      const entry = entryOf(fixture(type));

      // Act
      const delta = statsDelta(entry);

      // Assess
      expect(delta).toEqual({ counters: {}, revenueMinor: {}, entryType: type, latest: {} });
    },
  );

  it('leaves every aggregate alone for a lifecycle change', () => {
    // Prepare
    const entry: TimelineEntry = {
      ...fixture('lifecycle_change'),
      type: 'lifecycle_change',
      id: '01JF2A7B8C9D0E1F2G3H4J5K6M',
      customerId: '01JD8X3Q9Z7N6M5K4H3G2F1E0D',
      occurredAt: '2026-11-20T14:05:00.000Z',
      recordedAt: '2026-11-20T14:05:00.000Z',
      actor: { type: 'system' },
    };

    // Act
    const delta = statsDelta(entry);

    // Assess
    expect(delta).toEqual({ counters: {}, revenueMinor: {}, entryType: 'lifecycle_change', latest: {} });
  });
});

describe('Function: sumDeltas', () => {
  it('adds counters, revenue per currency and entry counts', () => {
    // Prepare
    const deltas = [
      statsDelta(entryOf({ ...fixture('order'), amount: 10.1 })),
      statsDelta(entryOf({ ...fixture('order'), amount: 0.2 })),
      statsDelta(entryOf({ ...fixture('order'), amount: 5, currency: 'USD' })),
      statsDelta(entryOf(fixture('complaint'))),
      statsDelta(entryOf(fixture('note'))),
    ];

    // Act
    const totals = sumDeltas(deltas);

    // Assess
    expect(totals).toEqual({
      counters: { ordersCount: 3, complaintsCount: 1, openComplaints: 1 },
      revenueMinor: { EUR: 1030, USD: 500 },
      entryCounts: { order: 3, complaint: 1, note: 1 },
    });
  });

  it('sums to nothing for no entries', () => {
    // Act
    const totals = sumDeltas([]);

    // Assess
    expect(totals).toEqual({ counters: {}, revenueMinor: {}, entryCounts: {} });
  });
});

describe('Function: toMinor / fromMinor', () => {
  it('round-trips any whole number of cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000_000 }), (cents) => {
        // Act + Assess
        expect(toMinor(fromMinor(cents))).toBe(cents);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Function: emptyStats', () => {
  it('starts every aggregate at zero or null', () => {
    // Assess
    expect(emptyStats()).toEqual({
      ordersCount: 0,
      revenue: {},
      openComplaints: 0,
      openSeriousComplaints: 0,
      complaintsCount: 0,
      lastContactAt: null,
      lastOrderAt: null,
      entryCounts: {},
    });
  });
});
