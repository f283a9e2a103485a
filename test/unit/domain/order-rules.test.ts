/**
 * Orders are aggregated per order and complaints count while open: the pure rules behind the
 * stats item (shared/domain/timeline/rules.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  complaintChange,
  isCounting,
  nextOrderState,
  type OrderState,
  orderDelta,
  orderIdOf,
  statsDelta,
  sumDeltas,
} from '#shared/domain/timeline/rules';
import { OrderStatus, type TimelineEntry } from '#shared/domain/timeline/schemas';

const CUSTOMER_ID = '01JD8X3Q9Z7N6M5K4H3G2F1E0D';

const order = (over: Partial<TimelineEntry> & { id: string }): TimelineEntry => ({
  customerId: CUSTOMER_ID,
  type: 'order',
  occurredAt: '2026-11-01T10:00:00.000Z',
  recordedAt: '2026-11-01T10:00:00.000Z',
  actor: { type: 'user', id: 'u1' },
  amount: 10,
  currency: 'EUR',
  status: 'placed',
  items: [],
  ...over,
});

describe('Function: nextOrderState', () => {
  it('starts a new order at the entry’s status and amount in minor units', () => {
    // Act
    const state = nextOrderState(undefined, order({ id: 'E1', orderId: 'A-1', amount: 12.34 }));

    // Assess
    expect(state).toMatchObject({
      orderId: 'A-1',
      status: 'placed',
      amountMinor: 1234,
      currency: 'EUR',
      version: 1,
    });
  });

  it('ignores, as history only, an entry older than the order’s current status', () => {
    // Prepare
    const current = nextOrderState(
      undefined,
      order({ id: 'E2', orderId: 'A-1', status: 'refunded', occurredAt: '2026-11-05T00:00:00.000Z' }),
    );

    // Act
    const next = nextOrderState(current, order({ id: 'E1', orderId: 'A-1', status: 'delivered' }));

    // Assess
    expect(next).toBeUndefined();
  });

  it('treats an order entry without orderId as an order of its own', () => {
    // Assess
    expect(orderIdOf(order({ id: 'E9' }))).toBe('entry-E9');
  });
});

describe('Function: orderDelta', () => {
  it('counts a new order once and its revenue while it counts', () => {
    // Prepare
    const after = nextOrderState(undefined, order({ id: 'E1', orderId: 'A', amount: 5 }));

    // Assess
    expect(orderDelta(undefined, after)).toEqual({
      counters: { ordersCount: 1 },
      revenueMinor: { EUR: 500 },
    });
  });

  it('takes the revenue back when a counted order is cancelled, and does not count the order again', () => {
    // Prepare
    const placed = nextOrderState(undefined, order({ id: 'E1', orderId: 'A', amount: 5 }));
    const cancelled = nextOrderState(
      placed,
      order({
        id: 'E2',
        orderId: 'A',
        amount: 5,
        status: 'cancelled',
        occurredAt: '2026-11-02T00:00:00.000Z',
      }),
    );

    // Assess
    expect(orderDelta(placed, cancelled)).toEqual({ counters: {}, revenueMinor: { EUR: -500 } });
  });

  it('adds no revenue for an order first seen cancelled (it still counts as an order)', () => {
    // Prepare
    const cancelled = nextOrderState(undefined, order({ id: 'E1', status: 'cancelled' }));

    // Assess
    expect(orderDelta(undefined, cancelled)).toEqual({
      counters: { ordersCount: 1 },
      revenueMinor: {},
    });
  });
});

describe('Function: orderDelta over every status transition', () => {
  const counting = ['placed', 'paid', 'shipped', 'delivered'];
  const transitions = OrderStatus.options.flatMap((from) => OrderStatus.options.map((to) => ({ from, to })));

  it.each(transitions)(
    'moves revenue by the counting change from $from to $to, never the order count',
    ({ from, to }) => {
      // Prepare
      const before = nextOrderState(undefined, order({ id: 'E1', orderId: 'A', amount: 7.5, status: from }));
      const after = nextOrderState(
        before,
        order({ id: 'E2', orderId: 'A', amount: 7.5, status: to, occurredAt: '2026-11-02T00:00:00.000Z' }),
      );

      // Act
      const delta = orderDelta(before, after);

      // Assess
      const expected = (counting.includes(to) ? 750 : 0) - (counting.includes(from) ? 750 : 0);
      expect(delta.counters).toEqual({});
      expect(delta.revenueMinor.EUR ?? 0).toBe(expected);
      expect(after?.counted).toBe(counting.includes(to));
    },
  );

  it('moves revenue between currencies when a counting order changes currency', () => {
    // Prepare
    const before = nextOrderState(undefined, order({ id: 'E1', orderId: 'A', amount: 2 }));
    const after = nextOrderState(
      before,
      order({
        id: 'E2',
        orderId: 'A',
        amount: 3,
        currency: 'USD',
        status: 'paid',
        occurredAt: '2026-11-02T00:00:00.000Z',
      }),
    );

    // Assess
    expect(orderDelta(before, after).revenueMinor).toEqual({ EUR: -200, USD: 300 });
  });
});

describe('Invariant: revenue per order', () => {
  it('equals the sum over orders whose newest status counts, for any sequence of status updates', () => {
    const update = fc.record({
      orderId: fc.constantFrom('A', 'B', 'C'),
      status: fc.constantFrom(...OrderStatus.options),
      amount: fc.integer({ min: 0, max: 100_000 }).map((cents) => cents / 100),
      currency: fc.constantFrom('EUR', 'USD'),
      minute: fc.integer({ min: 0, max: 59 }),
    });
    fc.assert(
      fc.property(fc.array(update, { maxLength: 30 }), (updates) => {
        // Act: apply the updates in arrival order, as the store does
        const states = new Map<string, OrderState>();
        const deltas = updates.map((u, i) => {
          const entry = order({
            id: `E${String(i).padStart(3, '0')}`,
            orderId: u.orderId,
            status: u.status,
            amount: u.amount,
            currency: u.currency,
            occurredAt: `2026-11-01T10:${String(u.minute).padStart(2, '0')}:00.000Z`,
          });
          const before = states.get(u.orderId);
          const after = nextOrderState(before, entry);
          if (after) states.set(u.orderId, after);
          return statsDelta(entry, { before, after });
        });
        const totals = sumDeltas(deltas);

        // Assess: the reference is computed from the final state of each order
        const expected: Record<string, number> = {};
        for (const state of states.values()) {
          if (isCounting(state.status))
            expected[state.currency] = (expected[state.currency] ?? 0) + state.amountMinor;
        }
        for (const currency of new Set([...Object.keys(expected), ...Object.keys(totals.revenueMinor)])) {
          expect(totals.revenueMinor[currency] ?? 0).toBe(expected[currency] ?? 0);
        }
        expect(totals.counters.ordersCount ?? 0).toBe(states.size);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Function: complaintChange', () => {
  it('closes an open serious complaint on both counters', () => {
    // Assess
    expect(
      complaintChange({ severity: 'high', status: 'open' }, { severity: 'high', status: 'resolved' }),
    ).toEqual({
      openComplaints: -1,
      openSeriousComplaints: -1,
    });
  });

  it('reopens a resolved low complaint on the open counter only', () => {
    // Assess
    expect(
      complaintChange({ severity: 'low', status: 'resolved' }, { severity: 'low', status: 'open' }),
    ).toEqual({
      openComplaints: 1,
    });
  });

  it('moves an open complaint into the serious counter when it is re-graded', () => {
    // Assess
    expect(complaintChange({ severity: 'medium' }, { severity: 'critical', status: 'open' })).toEqual({
      openSeriousComplaints: 1,
    });
  });

  it('counts a complaint recorded as resolved in neither open counter', () => {
    // Act
    const delta = statsDelta({
      id: 'E1',
      customerId: CUSTOMER_ID,
      type: 'complaint',
      occurredAt: '2026-11-01T10:00:00.000Z',
      recordedAt: '2026-11-01T10:00:00.000Z',
      actor: { type: 'user' },
      severity: 'critical',
      status: 'resolved',
    });

    // Assess
    expect(delta.counters).toEqual({ complaintsCount: 1 });
  });
});
