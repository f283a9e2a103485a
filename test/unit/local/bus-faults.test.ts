/**
 * The local bus's fault switch: counts are consumed one request / entry / delivery at a time,
 * rates fail with their probability, delivery faults can be scoped to one rule, and budgets that
 * are neither a count nor a probability are refused.
 */
import { describe, expect, it } from 'vitest';
import { FaultSwitch, INJECTED_FAULT_ERROR } from '#infra/local/bus-faults';

const times = <T>(n: number, fn: () => T): T[] => Array.from({ length: n }, fn);

describe('FaultSwitch', () => {
  it('throttles the next n requests, then none', () => {
    // Prepare
    const faults = new FaultSwitch();
    faults.inject({ throttle: 2 });

    // Act
    const throttled = times(4, () => faults.throttled());

    // Assess
    expect(throttled).toEqual([true, true, false, false]);
    expect(faults.injected()).toEqual({ throttled: 2, failedEntries: 0, failedDeliveries: 0 });
  });

  it('fails entries with the chosen code (InternalFailure by default)', () => {
    // Prepare
    const faults = new FaultSwitch();

    // Act
    faults.inject({ failEntries: 1 });
    const byDefault = times(2, () => faults.entryFailure());
    faults.inject({ failEntries: { budget: 1, code: 'ThrottlingException' } });
    const chosen = faults.entryFailure();

    // Assess
    expect(byDefault).toEqual(['InternalFailure', undefined]);
    expect(chosen).toBe('ThrottlingException');
  });

  it('fails deliveries of the named rule only', () => {
    // Prepare
    const faults = new FaultSwitch();
    faults.inject({ failDeliveries: { budget: 1, rule: 'a' } });

    // Act
    const other = () => faults.checkDelivery('b');
    const named = () => faults.checkDelivery('a');

    // Assess
    expect(other).not.toThrow();
    expect(named).toThrow(expect.objectContaining({ name: INJECTED_FAULT_ERROR }));
    expect(named).not.toThrow();
  });

  it('fails with a rate until cleared', () => {
    // Prepare: a scripted random source.
    const draws = [0.1, 0.9, 0.2, 0.1];
    const faults = new FaultSwitch(() => draws.shift() ?? 0);
    faults.inject({ throttle: { rate: 0.5 } });

    // Act
    const throttled = times(3, () => faults.throttled());
    faults.clear();
    const afterClear = faults.throttled();

    // Assess
    expect(throttled).toEqual([true, false, true]);
    expect(afterClear).toBe(false);
  });

  it.each([[-1], [1.5], [{ rate: 2 }], [{ rate: Number.NaN }]])('refuses the budget %j', (budget) => {
    // Act
    const inject = () => new FaultSwitch().inject({ throttle: budget });

    // Assess
    expect(inject).toThrow(RangeError);
  });
});
