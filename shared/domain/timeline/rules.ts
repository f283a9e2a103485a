/**
 * Pure timeline rules: how an entry changes the customer's aggregates.
 *
 * Orders are aggregated per order: entries with the same `orderId` are status changes of one order
 * (the order's current state is its newest entry by `occurredAt`). `ordersCount` counts distinct
 * orders; revenue counts an order while its status is a counting one (placed, paid, shipped,
 * delivered) and stops counting it when it is cancelled, returned or refunded.
 *
 * Complaints and support requests are open until resolved; `openComplaints` counts open
 * complaints and `openSeriousComplaints` the open high/critical ones, which drive `needsAttention`.
 */
import { seriousSeverities } from '#shared/domain/timeline/attention';
import {
  type CaseStatus,
  type CustomerStats,
  contactTypes,
  type OrderStatus,
  type TimelineEntry,
} from '#shared/domain/timeline/schemas';

export type Counter = 'ordersCount' | 'complaintsCount' | 'openComplaints' | 'openSeriousComplaints';

export interface StatsDelta {
  /** Top-level counters to add to (negative to subtract). */
  counters: Partial<Record<Counter, number>>;
  /** Revenue to add per currency, in minor units (cents), so sums stay exact. */
  revenueMinor: Record<string, number>;
  /** The entry type counted in `entryCounts`; absent for a change that appends no entry. */
  entryType?: string;
  /** Candidate values for the "latest" timestamps (kept only if newer than the stored one). */
  latest: Partial<Record<'lastContactAt' | 'lastOrderAt', string>>;
}

export const toMinor = (amount: number): number => Math.round(amount * 100);
export const fromMinor = (minor: number): number => minor / 100;

// ── orders ───────────────────────────────────────────────────────────────────────────────────
export const countingStatuses: ReadonlySet<OrderStatus> = new Set(['placed', 'paid', 'shipped', 'delivered']);
export const isCounting = (status: OrderStatus): boolean => countingStatuses.has(status);

/** The current state of one order, stored beside the timeline (`Z#ORD#<orderId>`). */
export interface OrderState {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  amountMinor: number;
  currency: string;
  /** Whether the order counts in `ordersCount` revenue now (its status is a counting one). */
  counted: boolean;
  /** `occurredAt` of the entry that set the current status. */
  statusAt: string;
  firstSeenAt: string;
  /** When the current status was recorded (`recordedAt` of the entry that set it). */
  updatedAt: string;
  /** Entry that set the current status. */
  entryId: string;
  version: number;
}

/** The order id an order entry belongs to: its `orderId`, or the entry itself when it has none. */
export const orderIdOf = (entry: TimelineEntry): string =>
  typeof entry.orderId === 'string' ? entry.orderId : `entry-${entry.id}`;

/** The earlier of two ISO-8601 UTC timestamps (they compare as strings). */
const earlier = (a: string | undefined, b: string): string => {
  if (a !== undefined && a < b) return a;
  return b;
};

const contribution = (state: OrderState | undefined): Record<string, number> =>
  state && isCounting(state.status) ? { [state.currency]: state.amountMinor } : {};

/**
 * The order's state after `entry`: the entry's status, amount and currency when it is at least as
 * new as the current status; unchanged (history only) when it is older. `undefined` = no change.
 */
export const nextOrderState = (
  before: OrderState | undefined,
  entry: TimelineEntry,
): OrderState | undefined => {
  if (before && entry.occurredAt < before.statusAt) return undefined;
  return {
    orderId: orderIdOf(entry),
    customerId: entry.customerId,
    status: entry.status as OrderStatus,
    counted: isCounting(entry.status as OrderStatus),
    amountMinor: toMinor(Number(entry.amount)),
    currency: String(entry.currency),
    statusAt: entry.occurredAt,
    firstSeenAt: earlier(before?.firstSeenAt, entry.occurredAt),
    updatedAt: entry.recordedAt,
    entryId: entry.id,
    version: (before?.version ?? 0) + 1,
  };
};

/** What moving one order from `before` to `after` does to the aggregates. */
export const orderDelta = (
  before: OrderState | undefined,
  after: OrderState | undefined,
): Pick<StatsDelta, 'counters' | 'revenueMinor'> => {
  const revenueMinor: Record<string, number> = {};
  if (after) {
    const from = contribution(before);
    const to = contribution(after);
    for (const currency of new Set([...Object.keys(from), ...Object.keys(to)])) {
      revenueMinor[currency] = (to[currency] ?? 0) - (from[currency] ?? 0);
    }
  }
  return { counters: before ? {} : { ordersCount: 1 }, revenueMinor };
};

// ── complaints and support requests ──────────────────────────────────────────────────────────
/** What an open/closed complaint contributes to the open counters. */
const complaintCounters = (entry: Readonly<Record<string, unknown>>) => {
  const open = (entry.status ?? 'open') === 'open';
  return {
    openComplaints: open ? 1 : 0,
    openSeriousComplaints: open && seriousSeverities.has(String(entry.severity)) ? 1 : 0,
  };
};

/** The counter change when a complaint moves from `before` to `after` (status or severity). */
export const complaintChange = (
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): Partial<Record<Counter, number>> => {
  const from = complaintCounters(before);
  const to = complaintCounters(after);
  const counters: Partial<Record<Counter, number>> = {};
  if (to.openComplaints !== from.openComplaints)
    counters.openComplaints = to.openComplaints - from.openComplaints;
  if (to.openSeriousComplaints !== from.openSeriousComplaints)
    counters.openSeriousComplaints = to.openSeriousComplaints - from.openSeriousComplaints;
  return counters;
};

export type { CaseStatus };

// ── appending an entry ───────────────────────────────────────────────────────────────────────
/**
 * The aggregates change of appending `entry`. For an order, `order` is the order's state before
 * and after the entry (see `nextOrderState`); without it the order counts as a new one.
 */
export const statsDelta = (
  entry: TimelineEntry,
  order?: { before: OrderState | undefined; after: OrderState | undefined },
): StatsDelta => {
  const delta: StatsDelta = { counters: {}, revenueMinor: {}, entryType: entry.type, latest: {} };
  if (entry.type === 'order') {
    const change = order ?? { before: undefined, after: nextOrderState(undefined, entry) };
    const { counters, revenueMinor } = orderDelta(change.before, change.after);
    Object.assign(delta.counters, counters);
    Object.assign(delta.revenueMinor, revenueMinor);
    delta.latest.lastOrderAt = entry.occurredAt;
  }
  if (entry.type === 'complaint') {
    delta.counters.complaintsCount = 1;
    const open = complaintCounters(entry);
    if (open.openComplaints) delta.counters.openComplaints = open.openComplaints;
    if (open.openSeriousComplaints) delta.counters.openSeriousComplaints = open.openSeriousComplaints;
  }
  if (contactTypes.has(entry.type)) delta.latest.lastContactAt = entry.occurredAt;
  return delta;
};

export const emptyStats = (): CustomerStats => ({
  ordersCount: 0,
  revenue: {},
  openComplaints: 0,
  openSeriousComplaints: 0,
  complaintsCount: 0,
  lastContactAt: null,
  lastOrderAt: null,
  entryCounts: {},
});

/** The combined effect of several entries on the aggregates (one stats write per transaction). */
export interface StatsTotals {
  counters: Record<string, number>;
  revenueMinor: Record<string, number>;
  entryCounts: Record<string, number>;
}

export const sumDeltas = (deltas: readonly StatsDelta[]): StatsTotals => {
  const totals: StatsTotals = { counters: {}, revenueMinor: {}, entryCounts: {} };
  for (const delta of deltas) {
    for (const [k, v] of Object.entries(delta.counters))
      totals.counters[k] = (totals.counters[k] ?? 0) + (v ?? 0);
    for (const [k, v] of Object.entries(delta.revenueMinor))
      totals.revenueMinor[k] = (totals.revenueMinor[k] ?? 0) + v;
    if (delta.entryType !== undefined)
      totals.entryCounts[delta.entryType] = (totals.entryCounts[delta.entryType] ?? 0) + 1;
  }
  return totals;
};

// ── aggregate limits ─────────────────────────────────────────────────────────────────────────
/**
 * The largest revenue total per currency a customer's aggregates carry, in minor units (10^13 in
 * major units). The 360 view renders revenue in major units as a JSON number, and below 2^46 major
 * units (≈ 7.04·10^13) every cent value is a distinct double, so the rendering is exact; 10^13 is
 * the round bound under it (a sum near 2^53 minor units would be neither exact nor readable by the
 * document client). A write that would take a total past it is a 409 `aggregate-limit`, and
 * nothing is written (docs/architecture.md, "Aggregates").
 */
export const MAX_REVENUE_MINOR = 10 ** 15;
/** Counters (orders, complaints, entries per type) stay safe integers. */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

/** One field a stats change adds to: top-level counter, revenue per currency or entry count. */
export interface AggregateAddition {
  kind: 'counter' | 'revenueMinor' | 'entryCounts';
  field: string;
  by: number;
  /** The total must stay within ±limit. */
  limit: number;
}

/** Every addition of `totals`, with its limit (the stats update adds exactly these). */
export const aggregateAdditions = (totals: StatsTotals): AggregateAddition[] => [
  ...Object.entries(totals.counters).map(([field, by]) => ({
    kind: 'counter' as const,
    field,
    by,
    limit: MAX_COUNTER,
  })),
  ...Object.entries(totals.revenueMinor).map(([field, by]) => ({
    kind: 'revenueMinor' as const,
    field,
    by,
    limit: MAX_REVENUE_MINOR,
  })),
  ...Object.entries(totals.entryCounts).map(([field, by]) => ({
    kind: 'entryCounts' as const,
    field,
    by,
    limit: MAX_COUNTER,
  })),
];

/**
 * The condition on a stored total `t` under which `t + by` stays within ±limit: `t <= limit - by`
 * when adding, `t >= -limit - by` when subtracting (a total already past the limit can still fall).
 */
export const boundBeforeAdding = ({ by, limit }: Pick<AggregateAddition, 'by' | 'limit'>) =>
  by >= 0
    ? { comparator: '<=' as const, value: limit - by }
    : { comparator: '>=' as const, value: -limit - by };

/**
 * Whether adding `by` to the stored total `stored` (absent = 0) keeps it within its limit. Adding
 * nothing always does (the stats update puts no bound on a zero addition).
 */
export const staysWithinLimit = (
  stored: number,
  addition: Pick<AggregateAddition, 'by' | 'limit'>,
): boolean => {
  if (addition.by === 0) return true;
  const { comparator, value } = boundBeforeAdding(addition);
  return comparator === '<=' ? stored <= value : stored >= value;
};
