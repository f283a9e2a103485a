import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changedFacts,
  DAY_MS,
  evaluate,
  fieldsRead,
  nextFlipAt,
  readsAny,
  type SegmentFacts,
} from '#shared/domain/segments/evaluate';
import { SegmentRule } from '#shared/domain/segments/rules';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const iso = (t: number) => new Date(t).toISOString();

const baseFacts = (over: Partial<SegmentFacts> = {}): SegmentFacts => ({
  profile: { lifecycleStage: 'lead', tags: ['vip'] },
  attributes: { plan: 'pro', seats: 12 },
  stats: { ordersCount: 0, revenue: {}, openComplaints: 0, lastOrderAt: null, lastContactAt: null },
  subscriptions: {},
  timeline: {},
  ...over,
});

const paths = (value: unknown) =>
  SegmentRule.safeParse(value).error?.issues.map((i) => i.path.join('.')) ?? [];

describe('SegmentRule', () => {
  it('accepts a nested rule over every condition kind', () => {
    // Arrange
    const rule = {
      all: [
        { profile: { lifecycleStage: { in: ['lead', 'customer'] } } },
        { attribute: { name: 'seats', gte: 10 } },
        { company: { size: { eq: '11-50' } } },
        { subscription: { type: 'newsletter', status: 'subscribed' } },
        { stats: { field: 'revenue', currency: 'EUR', gt: 100 } },
        { not: { timeline: { type: 'web_visit', count: { gte: 1 }, withinDays: 60 } } },
      ],
    };
    // Act
    const parsed = SegmentRule.safeParse(rule);
    // Assert
    expect(parsed.success).toBe(true);
  });

  it('reports invalid conditions with their paths', () => {
    // Arrange / Act
    const found = paths({
      any: [
        { profile: { tags: { contains: 'a' } } },
        { timeline: { type: 'order', count: { gte: 2 }, withinDays: 0 } },
      ],
    });
    // Assert
    expect(found).toEqual(['any.1.timeline.withinDays']);
  });

  it('rejects rules deeper than 5 levels at the offending node', () => {
    // Arrange
    let rule: unknown = { profile: { companyId: { exists: true } } };
    for (let i = 0; i < 5; i++) rule = { not: rule };
    // Act / Assert
    expect(paths(rule)).toEqual(['not.not.not.not.not']);
  });

  it('rejects more than 50 conditions and nodes naming two kinds', () => {
    // Arrange
    const leaf = { profile: { companyId: { exists: true } } };
    const big = { any: Array.from({ length: 26 }, () => ({ all: [leaf, leaf] })) };
    const two = { all: [{ ...leaf, subscription: { type: 'n', status: 'subscribed' } }] };
    // Act / Assert
    expect(SegmentRule.safeParse(big).error?.issues[0]?.message).toMatch(/at most 50 conditions/);
    expect(paths(two)).toEqual(['all.0']);
  });
});

describe('evaluate and nextFlipAt', () => {
  it('counts timeline entries in the window and flips when the 2nd newest leaves it', () => {
    // Arrange
    const rule: SegmentRule = { timeline: { type: 'order', count: { gte: 2 }, withinDays: 90 } };
    const older = NOW - 80 * DAY_MS;
    const facts = baseFacts({
      timeline: { order: [iso(NOW - 200 * DAY_MS), iso(older), iso(NOW - DAY_MS)] },
    });
    // Act
    const flip = nextFlipAt(rule, facts, NOW);
    // Assert
    expect(evaluate(rule, facts, NOW)).toBe(true);
    expect(flip).toBe(older + 90 * DAY_MS + 1);
    expect(evaluate(rule, facts, (flip as number) - 1)).toBe(true);
    expect(evaluate(rule, facts, flip as number)).toBe(false);
  });

  it('treats "no web visit in 60 days" as count eq 0 and knows when it becomes true', () => {
    // Arrange
    const rule: SegmentRule = { timeline: { type: 'web_visit', count: { eq: 0 }, withinDays: 60 } };
    const visit = NOW - 10 * DAY_MS;
    const facts = baseFacts({ timeline: { web_visit: [iso(visit)] } });
    // Act / Assert
    expect(evaluate(rule, facts, NOW)).toBe(false);
    expect(nextFlipAt(rule, facts, NOW)).toBe(visit + 60 * DAY_MS + 1);
    expect(evaluate(rule, facts, visit + 60 * DAY_MS + 1)).toBe(true);
  });

  it('reads attributes, subscriptions and stats and names the keys it reads', () => {
    // Arrange
    const rule: SegmentRule = {
      all: [
        { attribute: { name: 'plan', eq: 'pro' } },
        { subscription: { type: 'news', status: 'subscribed' } },
        { stats: { field: 'revenue', currency: 'EUR', gte: 10 } },
      ],
    };
    const facts = baseFacts({
      subscriptions: { news: 'subscribed' },
      stats: {
        ordersCount: 1,
        revenue: { EUR: 10 },
        openComplaints: 0,
        lastOrderAt: null,
        lastContactAt: null,
      },
    });
    // Act / Assert
    expect(evaluate(rule, facts, NOW)).toBe(true);
    expect(evaluate(rule, { ...facts, subscriptions: { news: 'pending' } }, NOW)).toBe(false);
    expect([...fieldsRead(rule)].sort()).toEqual([
      'attributes.plan',
      'stats.revenue.EUR',
      'subscriptions.news',
    ]);
  });
});

// ---- Property: incremental membership equals a reference evaluation ----------------------------

const types = ['order', 'complaint', 'web_visit'] as const;
const countArb = fc.oneof(
  fc.integer({ min: 0, max: 4 }).map((n) => ({ gte: n })),
  fc.integer({ min: 0, max: 4 }).map((n) => ({ lte: n })),
  fc.integer({ min: 0, max: 4 }).map((n) => ({ eq: n })),
);
const leafArb: fc.Arbitrary<SegmentRule> = fc.oneof(
  fc.constantFrom('lead', 'customer').map((s): SegmentRule => ({ profile: { lifecycleStage: { eq: s } } })),
  fc.constantFrom('vip', 'beta').map((t): SegmentRule => ({ profile: { tags: { contains: t } } })),
  fc.integer({ min: 0, max: 3 }).map((n): SegmentRule => ({ attribute: { name: 'seats', gte: n } })),
  fc
    .constantFrom('subscribed', 'unsubscribed')
    .map((status): SegmentRule => ({ subscription: { type: 'news', status } })),
  fc
    .integer({ min: 1, max: 20 })
    .map((d): SegmentRule => ({ stats: { field: 'lastOrderAt', withinDays: d } })),
  fc
    .record({ type: fc.constantFrom(...types), count: countArb, withinDays: fc.integer({ min: 1, max: 20 }) })
    .map((t): SegmentRule => ({ timeline: t })),
);
const ruleArb: fc.Arbitrary<SegmentRule> = fc.letrec<{ rule: SegmentRule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((all): SegmentRule => ({ all })),
    fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((any): SegmentRule => ({ any })),
    tie('rule').map((not): SegmentRule => ({ not })),
  ),
})).rule;

type Step =
  | { kind: 'profile'; customer: number; stage: string; tags: string[] }
  | { kind: 'attribute'; customer: number; seats: number }
  | { kind: 'entry'; customer: number; type: (typeof types)[number] }
  | { kind: 'consent'; customer: number; status: 'subscribed' | 'unsubscribed' | 'pending' }
  | { kind: 'time'; hours: number };

const customerArb = fc.integer({ min: 0, max: 2 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('profile' as const),
    customer: customerArb,
    stage: fc.constantFrom('lead', 'customer'),
    tags: fc.subarray(['vip', 'beta']),
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    customer: customerArb,
    seats: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ kind: fc.constant('entry' as const), customer: customerArb, type: fc.constantFrom(...types) }),
  fc.record({
    kind: fc.constant('consent' as const),
    customer: customerArb,
    status: fc.constantFrom('subscribed' as const, 'unsubscribed' as const, 'pending' as const),
  }),
  fc.record({ kind: fc.constant('time' as const), hours: fc.integer({ min: 1, max: 24 * 15 }) }),
);

const applyStep = (facts: SegmentFacts, step: Exclude<Step, { kind: 'time' }>, now: number): SegmentFacts => {
  switch (step.kind) {
    case 'profile':
      return { ...facts, profile: { ...facts.profile, lifecycleStage: step.stage, tags: step.tags } };
    case 'attribute':
      return { ...facts, attributes: { ...facts.attributes, seats: step.seats } };
    case 'consent':
      return { ...facts, subscriptions: { ...facts.subscriptions, news: step.status } };
    case 'entry': {
      const list = [...(facts.timeline[step.type] ?? []), iso(now)].slice(-100);
      const stats = step.type === 'order' ? { ...facts.stats, lastOrderAt: iso(now) } : facts.stats;
      return { ...facts, stats, timeline: { ...facts.timeline, [step.type]: list } };
    }
  }
};

describe('incremental membership', () => {
  it('re-evaluating only segments that read a changed key or whose flip passed equals a full evaluation', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
        fc.array(stepArb, { maxLength: 40 }),
        (rules, steps) => {
          // Arrange
          let now = NOW;
          const facts = new Map([0, 1, 2].map((c) => [c, baseFacts({ attributes: {} })]));
          const key = (c: number, s: number) => `${c}:${s}`;
          const member = new Map<string, boolean>();
          const flipAt = new Map<string, number | undefined>();
          const refresh = (c: number, s: number, customer: SegmentFacts, rule: SegmentRule) => {
            member.set(key(c, s), evaluate(rule, customer, now));
            flipAt.set(key(c, s), nextFlipAt(rule, customer, now));
          };
          const reference = () =>
            new Map(
              [...facts].flatMap(([c, f]) => rules.map((r, s) => [key(c, s), evaluate(r, f, now)] as const)),
            );
          for (const [c, f] of facts) {
            rules.forEach((r, s) => {
              refresh(c, s, f, r);
            });
          }
          for (const step of steps) {
            // Act
            if (step.kind === 'time') {
              now += step.hours * 3_600_000;
              for (const [c, f] of facts) {
                rules.forEach((r, s) => {
                  const at = flipAt.get(key(c, s));
                  if (at !== undefined && at <= now) refresh(c, s, f, r);
                });
              }
            } else {
              const before = facts.get(step.customer) ?? baseFacts();
              const after = applyStep(before, step, now);
              facts.set(step.customer, after);
              const changed = changedFacts(before, after);
              rules.forEach((r, s) => {
                if (readsAny(fieldsRead(r), changed)) refresh(step.customer, s, after, r);
              });
            }
            // Assert
            expect(member).toEqual(reference());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
