/** Pure customer rules: lifecycle transitions, primary contact entries, custom attributes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyAttributes,
  assertTransition,
  canTransition,
  withPrimary,
} from '#shared/domain/customers/rules';
import { type LifecycleStage, lifecycleStages } from '#shared/domain/customers/schemas';
import { AttributeDefinition } from '#shared/domain/settings/schemas';
import { ConflictError, ValidationError } from '#shared/errors';
import { thrownBy } from '#test/unit/support/errors';

/** Every (from, to) pair and whether it is allowed; rows are `from`, columns `to`. */
const allowed: Record<LifecycleStage, Record<LifecycleStage, boolean>> = {
  subscriber: { subscriber: true, lead: true, prospect: true, customer: true, churned: false },
  lead: { subscriber: false, lead: true, prospect: true, customer: true, churned: false },
  prospect: { subscriber: false, lead: false, prospect: true, customer: true, churned: false },
  customer: { subscriber: false, lead: false, prospect: false, customer: true, churned: true },
  churned: { subscriber: false, lead: true, prospect: true, customer: true, churned: true },
};

const transitions = lifecycleStages.flatMap((from) =>
  lifecycleStages.map((to) => [from, to, allowed[from][to]] as const),
);

/** Parses definitions the way the settings API stores them (defaults applied). */
const defs = (...input: unknown[]): AttributeDefinition[] => input.map((d) => AttributeDefinition.parse(d));

const errorsOf = (fn: () => unknown) => {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors ?? [];
};

describe('Function: canTransition', () => {
  it.each(transitions)('decides %s → %s is allowed: %s', (from, to, expected) => {
    // Act
    const result = canTransition(from, to);

    // Assess
    expect(result).toBe(expected);
  });

  it('allows skipping forward stages', () => {
    // Assess
    expect(canTransition('subscriber', 'customer')).toBe(true);
  });

  it('rejects moving backwards along the funnel', () => {
    // Assess
    expect(canTransition('customer', 'lead')).toBe(false);
  });

  it('allows churn only from customer', () => {
    // Act
    const from = lifecycleStages.filter((stage) => stage !== 'churned' && canTransition(stage, 'churned'));

    // Assess
    expect(from).toEqual(['customer']);
  });

  it('reactivates a churned customer to lead, prospect or customer', () => {
    // Act
    const to = lifecycleStages.filter((stage) => stage !== 'churned' && canTransition('churned', stage));

    // Assess
    expect(to).toEqual(['lead', 'prospect', 'customer']);
  });
});

describe('Function: assertTransition', () => {
  it('accepts an allowed transition', () => {
    // Act + Assess
    expect(() => assertTransition('lead', 'customer')).not.toThrow();
  });

  it('rejects a forbidden transition with a 409 at body.lifecycleStage', () => {
    // Act
    const error = thrownBy(() => assertTransition('customer', 'subscriber'));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      status: 409,
      slug: 'invalid-lifecycle-transition',
      errors: [{ path: 'body.lifecycleStage', code: 'invalid_transition' }],
    });
  });
});

describe('Function: withPrimary', () => {
  const entriesArb = fc.array(
    fc.record({ address: fc.emailAddress(), primary: fc.option(fc.boolean(), { nil: undefined }) }),
    { maxLength: 10 },
  );

  it('marks exactly one entry primary whenever there is any', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        // Act
        const result = withPrimary(entries);

        // Assess
        expect(result.filter((e) => e.primary)).toHaveLength(entries.length === 0 ? 0 : 1);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the first entry flagged primary, else makes the first entry primary', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        fc.pre(entries.length > 0);

        // Act
        const result = withPrimary(entries);

        // Assess
        const flagged = entries.findIndex((e) => e.primary === true);
        expect(result.findIndex((e) => e.primary)).toBe(flagged === -1 ? 0 : flagged);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the order and the other fields of every entry', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        // Act
        const result = withPrimary(entries);

        // Assess
        expect(result.map((e) => e.address)).toEqual(entries.map((e) => e.address));
      }),
      { numRuns: 100 },
    );
  });

  it('does not change its input', () => {
    // Prepare
    const entries = [{ address: 'a@example.com' }, { address: 'b@example.com', primary: true }];
    const before = structuredClone(entries);

    // Act
    withPrimary(entries);

    // Assess
    expect(entries).toEqual(before);
  });
});

describe('Function: applyAttributes', () => {
  const definitions = defs(
    { name: 'tier', type: 'enum', options: ['bronze', 'silver', 'gold'] },
    { name: 'nickname', type: 'string', min: 2, max: 5 },
    { name: 'seats', type: 'number', min: 1, max: 500 },
    { name: 'newsletter', type: 'boolean' },
    { name: 'renewalDate', type: 'date' },
  );

  it('merges the change into the current values', () => {
    // Act
    const next = applyAttributes(definitions, { tier: 'gold' }, { seats: 20 });

    // Assess
    expect(next).toEqual({ tier: 'gold', seats: 20 });
  });

  it('does not change the current values it is given', () => {
    // Prepare
    const current = { tier: 'gold' };

    // Act
    applyAttributes(definitions, current, { tier: 'silver' });

    // Assess
    expect(current).toEqual({ tier: 'gold' });
  });

  it('removes an attribute set to null', () => {
    // Act
    const next = applyAttributes(definitions, { tier: 'gold', seats: 3 }, { seats: null });

    // Assess
    expect(next).toEqual({ tier: 'gold' });
  });

  it('keeps the current values when there is no change', () => {
    // Act
    const next = applyAttributes(definitions, { newsletter: true }, undefined);

    // Assess
    expect(next).toEqual({ newsletter: true });
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'enforces a required attribute named %s (no prototype lookup)',
    (name) => {
      // Prepare
      const required = defs({ name, type: 'string', required: true });

      // Act
      const errors = errorsOf(() => applyAttributes(required, {}, {}));

      // Assess
      expect(errors.map((e) => e.path)).toEqual([`body.attributes.${name}`]);
    },
  );

  it('rejects an unknown attribute at body.attributes.<name>', () => {
    // Act
    const errors = errorsOf(() => applyAttributes(definitions, {}, { shoeSize: 44 }));

    // Assess
    expect(errors).toEqual([
      {
        path: 'body.attributes.shoeSize',
        message: 'unknown attribute (define it in settings first)',
        code: 'unknown_attribute',
      },
    ]);
  });

  it.each<[string, string, string | number | boolean]>([
    ['an enum option', 'tier', 'silver'],
    ['a string of the minimum length', 'nickname', 'Al'],
    ['a string of the maximum length', 'nickname', 'Ada L'],
    ['the minimum number', 'seats', 1],
    ['the maximum number', 'seats', 500],
    ['a fractional number', 'seats', 2.5],
    ['false', 'newsletter', false],
    ['a calendar date', 'renewalDate', '2028-02-29'],
  ])('accepts %s', (_name, attribute, value) => {
    // Act
    const next = applyAttributes(definitions, {}, { [attribute]: value });

    // Assess
    expect(next).toEqual({ [attribute]: value });
  });

  it.each<[string, string, string | number | boolean, string]>([
    ['a value outside the enum options', 'tier', 'platinum', 'must be one of: bronze, silver, gold'],
    ['a string for an enum in another case', 'tier', 'Gold', 'must be one of: bronze, silver, gold'],
    ['a number for a string', 'nickname', 42, 'must be a string'],
    ['a string under the minimum length', 'nickname', 'A', 'must be at least 2 characters'],
    ['a string over the maximum length', 'nickname', 'Augusta', 'must be at most 5 characters'],
    ['a string for a number', 'seats', '12', 'must be a number'],
    ['a number under the minimum', 'seats', 0, 'must be ≥ 1'],
    ['a number over the maximum', 'seats', 501, 'must be ≤ 500'],
    ['an infinite number', 'seats', Number.POSITIVE_INFINITY, 'must be a number'],
    ['a string for a boolean', 'newsletter', 'yes', 'must be true or false'],
    ['a date-time for a date', 'renewalDate', '2028-02-29T10:00:00Z', 'must be a date (YYYY-MM-DD)'],
    ['a day-first date', 'renewalDate', '29/02/2028', 'must be a date (YYYY-MM-DD)'],
    ['a month that does not exist', 'renewalDate', '2028-13-01', 'must be a date (YYYY-MM-DD)'],
    ['a number for a date', 'renewalDate', 20280229, 'must be a date (YYYY-MM-DD)'],
    ['a day that does not exist in its month', 'renewalDate', '2026-02-30', 'must be a date (YYYY-MM-DD)'],
    ['29 February of a common year', 'renewalDate', '2027-02-29', 'must be a date (YYYY-MM-DD)'],
  ])('rejects %s at its attribute path', (_name, attribute, value, message) => {
    // Act
    const errors = errorsOf(() => applyAttributes(definitions, {}, { [attribute]: value }));

    // Assess
    expect(errors).toEqual([{ path: `body.attributes.${attribute}`, message, code: 'invalid_attribute' }]);
  });

  it('reports every invalid attribute at once', () => {
    // Act
    const errors = errorsOf(() => applyAttributes(definitions, {}, { tier: 'x', seats: -1, colour: 'red' }));

    // Assess
    expect(errors.map((e) => e.path)).toEqual([
      'body.attributes.tier',
      'body.attributes.seats',
      'body.attributes.colour',
    ]);
  });

  describe('with a required attribute', () => {
    const withRequired = [...definitions, ...defs({ name: 'region', type: 'string', required: true })];

    it('rejects a change that leaves it missing', () => {
      // Act
      const errors = errorsOf(() => applyAttributes(withRequired, {}, { tier: 'gold' }));

      // Assess
      expect(errors).toEqual([
        { path: 'body.attributes.region', message: 'required attribute is missing', code: 'required' },
      ]);
    });

    it('accepts a change when the current values already have it', () => {
      // Act
      const next = applyAttributes(withRequired, { region: 'EMEA' }, { tier: 'gold' });

      // Assess
      expect(next).toEqual({ region: 'EMEA', tier: 'gold' });
    });

    it('rejects removing it with null', () => {
      // Act
      const errors = errorsOf(() => applyAttributes(withRequired, { region: 'EMEA' }, { region: null }));

      // Assess
      expect(errors.map((e) => e.code)).toEqual(['required']);
    });

    it('reports an invalid value for it once, not also as missing', () => {
      // Act
      const errors = errorsOf(() => applyAttributes(withRequired, {}, { region: 7 }));

      // Assess
      expect(errors).toEqual([
        { path: 'body.attributes.region', message: 'must be a string', code: 'invalid_attribute' },
      ]);
    });
  });
});
