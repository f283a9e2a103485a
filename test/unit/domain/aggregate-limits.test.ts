/**
 * The limits of a customer's totals (shared/domain/timeline/rules.ts, docs/architecture.md
 * "Aggregates"): every revenue total up to `MAX_REVENUE_MINOR` renders exactly in major units, and
 * the bound a stored total must respect keeps every sum within ±limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateAdditions,
  boundBeforeAdding,
  fromMinor,
  MAX_COUNTER,
  MAX_REVENUE_MINOR,
  staysWithinLimit,
} from '#shared/domain/timeline/rules';

/** The exact decimal of `minor / 100`, from integer arithmetic (the value a client must read). */
const exactMajor = (minor: number): string => {
  const value = BigInt(minor);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const cents = abs % 100n;
  const fraction = cents === 0n ? '' : `.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
  return `${sign}${abs / 100n}${fraction}`;
};

describe('Limit: revenue per currency', () => {
  it('renders every total up to the limit exactly in major units (the 360 view’s JSON number)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_REVENUE_MINOR, max: MAX_REVENUE_MINOR }), (minor) => {
        // Act
        const rendered = JSON.stringify(fromMinor(minor));

        // Assess
        expect(rendered).toBe(exactMajor(minor));
      }),
      { numRuns: 2000 },
    );
    expect(JSON.stringify(fromMinor(MAX_REVENUE_MINOR - 1))).toBe(exactMajor(MAX_REVENUE_MINOR - 1));
  });

  it('sits below the totals that no longer render exactly (2^53 minor units does not)', () => {
    // Prepare
    const unsafe = Number.MAX_SAFE_INTEGER;

    // Act
    const rendered = JSON.stringify(fromMinor(unsafe));

    // Assess
    expect(rendered).not.toBe(exactMajor(unsafe));
    expect(MAX_REVENUE_MINOR).toBeLessThan(unsafe);
  });
});

describe('Function: boundBeforeAdding / staysWithinLimit', () => {
  it('accepts an addition exactly when the sum stays within ±limit', () => {
    const limit = 1_000;
    fc.assert(
      fc.property(
        fc.integer({ min: -3_000, max: 3_000 }),
        fc.integer({ min: -1_000, max: 1_000 }),
        (stored, by) => {
          // Act
          const accepted = staysWithinLimit(stored, { by, limit });

          // Assess: adding is refused only when it moves the total past the limit
          const moves = by > 0 ? stored + by > limit : by < 0 ? stored + by < -limit : false;
          expect(accepted).toBe(!moves);
        },
      ),
    );
  });

  it('lets a total already past the limit fall or stay, but not rise', () => {
    // Act
    const falling = staysWithinLimit(MAX_REVENUE_MINOR + 500, { by: -100, limit: MAX_REVENUE_MINOR });
    const rising = staysWithinLimit(MAX_REVENUE_MINOR + 500, { by: 1, limit: MAX_REVENUE_MINOR });

    const unchanged = staysWithinLimit(MAX_REVENUE_MINOR + 500, { by: 0, limit: MAX_REVENUE_MINOR });

    // Assess
    expect(falling).toBe(true);
    expect(rising).toBe(false);
    expect(unchanged).toBe(true);
    expect(boundBeforeAdding({ by: 100, limit: MAX_REVENUE_MINOR })).toEqual({
      comparator: '<=',
      value: MAX_REVENUE_MINOR - 100,
    });
  });
});

describe('Function: aggregateAdditions', () => {
  it('gives every counter, revenue and entry count of a stats change its limit', () => {
    // Act
    const additions = aggregateAdditions({
      counters: { ordersCount: 1 },
      revenueMinor: { EUR: 1_250 },
      entryCounts: { order: 1 },
    });

    // Assess
    expect(additions).toEqual([
      { kind: 'counter', field: 'ordersCount', by: 1, limit: MAX_COUNTER },
      { kind: 'revenueMinor', field: 'EUR', by: 1_250, limit: MAX_REVENUE_MINOR },
      { kind: 'entryCounts', field: 'order', by: 1, limit: MAX_COUNTER },
    ]);
  });
});
