/** Pure timeline rules: how an entry changes the customer's aggregates. */
import { type CustomerStats, contactTypes, type TimelineEntry } from '#shared/domain/timeline/schemas';

export interface StatsDelta {
  /** Top-level counters to add to. */
  counters: Partial<Record<'ordersCount' | 'complaintsCount' | 'openComplaints', number>>;
  /** Revenue to add per currency, in minor units (cents), so sums stay exact. */
  revenueMinor: Record<string, number>;
  entryType: string;
  /** Candidate values for the "latest" timestamps (kept only if newer than the stored one). */
  latest: Partial<Record<'lastContactAt' | 'lastOrderAt', string>>;
}

export const toMinor = (amount: number): number => Math.round(amount * 100);
export const fromMinor = (minor: number): number => minor / 100;

export const statsDelta = (entry: TimelineEntry): StatsDelta => {
  const delta: StatsDelta = { counters: {}, revenueMinor: {}, entryType: entry.type, latest: {} };
  if (entry.type === 'order') {
    const cancelled = entry.status === 'cancelled';
    delta.counters.ordersCount = 1;
    if (!cancelled) delta.revenueMinor[String(entry.currency)] = toMinor(Number(entry.amount));
    delta.latest.lastOrderAt = entry.occurredAt;
  }
  if (entry.type === 'complaint') {
    delta.counters.complaintsCount = 1;
    delta.counters.openComplaints = 1;
  }
  if (contactTypes.has(entry.type)) delta.latest.lastContactAt = entry.occurredAt;
  return delta;
};

export const emptyStats = (): CustomerStats => ({
  ordersCount: 0,
  revenue: {},
  openComplaints: 0,
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
    totals.entryCounts[delta.entryType] = (totals.entryCounts[delta.entryType] ?? 0) + 1;
  }
  return totals;
};
