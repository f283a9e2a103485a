/**
 * Fault injection for the local bus (a test switch, never on in `npm start` unless called): makes
 * the failures EventBridge can answer happen on demand, so producers' and consumers' retry paths
 * run against the local cloud instead of only against mocks.
 *
 * - `throttle`: whole `PutEvents` requests answer HTTP 400 `{"__type":"ThrottlingException"}`
 *   (the SDK's standard retry mode retries these; `shared/aws/eventbridge.ts`);
 * - `failEntries`: accepted entries fail inside a 200 response (`FailedEntryCount` > 0, the entry's
 *   `ErrorCode`/`ErrorMessage`, default `InternalFailure`; `shared/events/publisher.ts` resends
 *   only those) — the entry is not put on the bus;
 * - `failDeliveries`: attempts to deliver to a rule's target fail (optionally of one rule only),
 *   so the target's retries and then its DLQ run.
 *
 * Each fault is a count (the next n requests / entries / deliveries) or a rate (each one fails with
 * that probability) until `clearFaults()`.
 */

/** The next `n`, or `{ rate }`: each with that probability (0–1). */
export type FaultBudget = number | { rate: number };

/** Entry error codes EventBridge reports for retryable failures inside a 200 response. */
export type EntryFaultCode = 'InternalFailure' | 'ThrottlingException';

export interface BusFaults {
  throttle?: FaultBudget;
  failEntries?: FaultBudget | { budget: FaultBudget; code?: EntryFaultCode };
  failDeliveries?: FaultBudget | { budget: FaultBudget; rule?: string };
}

/** How many faults of each kind were injected since the switch was created. */
export interface InjectedFaults {
  throttled: number;
  failedEntries: number;
  failedDeliveries: number;
}

export const INJECTED_FAULT_ERROR = 'Local.InjectedFault';

export class InjectedDeliveryFault extends Error {
  constructor(rule: string) {
    super(`delivery to the target of rule ${rule} failed (injected by the local bus)`);
    this.name = INJECTED_FAULT_ERROR;
  }
}

const checkBudget = (budget: FaultBudget, what: string): FaultBudget => {
  const ok =
    typeof budget === 'number'
      ? Number.isInteger(budget) && budget >= 0
      : Number.isFinite(budget.rate) && budget.rate >= 0 && budget.rate <= 1;
  if (!ok) throw new RangeError(`${what}: a count ≥ 0 or { rate } between 0 and 1`);
  return budget;
};

/** One kind of fault: `take()` says whether this one fails, consuming the budget. */
class Fault {
  constructor(private budget: FaultBudget) {}

  take(random: () => number): boolean {
    if (typeof this.budget === 'number') {
      if (this.budget <= 0) return false;
      this.budget -= 1;
      return true;
    }
    return random() < this.budget.rate;
  }

  remaining(): FaultBudget {
    return typeof this.budget === 'number' ? this.budget : { ...this.budget };
  }
}

const isBudget = (value: unknown): value is FaultBudget =>
  typeof value === 'number' || (typeof value === 'object' && value !== null && 'rate' in value);

export class FaultSwitch {
  private throttle: Fault | undefined;
  private entries: { fault: Fault; code: EntryFaultCode } | undefined;
  private deliveries: { fault: Fault; rule: string | undefined } | undefined;
  private readonly counts: InjectedFaults = { throttled: 0, failedEntries: 0, failedDeliveries: 0 };

  constructor(private readonly random: () => number = Math.random) {}

  /** Adds (replaces, per kind) faults; kinds not named keep their current setting. */
  inject(faults: BusFaults): void {
    if (faults.throttle !== undefined) this.throttle = new Fault(checkBudget(faults.throttle, 'throttle'));
    const entries = faults.failEntries;
    if (entries !== undefined) {
      const { budget, code = 'InternalFailure' } = isBudget(entries) ? { budget: entries } : entries;
      this.entries = { fault: new Fault(checkBudget(budget, 'failEntries')), code };
    }
    const deliveries = faults.failDeliveries;
    if (deliveries !== undefined) {
      const { budget, rule } = isBudget(deliveries) ? { budget: deliveries, rule: undefined } : deliveries;
      this.deliveries = { fault: new Fault(checkBudget(budget, 'failDeliveries')), rule };
    }
  }

  clear(): void {
    this.throttle = undefined;
    this.entries = undefined;
    this.deliveries = undefined;
  }

  /** Whether this PutEvents request is throttled. */
  throttled(): boolean {
    const hit = this.throttle?.take(this.random) ?? false;
    if (hit) this.counts.throttled += 1;
    return hit;
  }

  /** The error code this accepted entry fails with, if it does. */
  entryFailure(): EntryFaultCode | undefined {
    if (!this.entries?.fault.take(this.random)) return undefined;
    this.counts.failedEntries += 1;
    return this.entries.code;
  }

  /** Throws when this delivery attempt to `rule`'s target is to fail. */
  checkDelivery(rule: string): void {
    const deliveries = this.deliveries;
    if (!deliveries || (deliveries.rule !== undefined && deliveries.rule !== rule)) return;
    if (!deliveries.fault.take(this.random)) return;
    this.counts.failedDeliveries += 1;
    throw new InjectedDeliveryFault(rule);
  }

  injected(): InjectedFaults {
    return { ...this.counts };
  }
}
