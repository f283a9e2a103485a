/**
 * The segment rule language: a JSON tree of `all` / `any` / `not` over conditions on one customer's
 * facts (profile, custom attributes, company, subscription state, stats aggregates and timeline
 * occurrences with time windows). Every node is an object with exactly one key, so an invalid rule
 * is reported with the path of the offending field (`body.rule.all.1.timeline.withinDays`).
 * Bounds: nesting depth ≤ 5 and ≤ 50 conditions per rule (see docs/segments.md).
 */
import * as z from 'zod/mini';
import { Channel, CurrencyCode } from '#shared/domain/common/schemas';
import { companySizes } from '#shared/domain/companies/schemas';
import { LifecycleStage } from '#shared/domain/customers/schemas';
import { EntryType } from '#shared/domain/timeline/schemas';

/** Deepest allowed nesting of `all` / `any` / `not` (the root node is depth 1). */
export const MAX_RULE_DEPTH = 5;
/** Most conditions (leaves) one rule may hold. */
export const MAX_RULE_CONDITIONS = 50;
/** Newest occurrences kept per timeline type in a customer's facts; counts above it cannot be decided. */
export const TIMELINE_OCCURRENCES_KEPT = 100;
/** Longest time window, in days. */
export const MAX_WINDOW_DAYS = 3650;

const Text = z.string().check(z.minLength(1), z.maxLength(200));
const Texts = z.array(Text).check(z.minLength(1), z.maxLength(100));
const Days = z.int().check(z.gte(1), z.lte(MAX_WINDOW_DAYS));

/** Comparison on a text field: equality, membership or presence. */
const textComparison = <T extends z.ZodMiniType>(value: T) =>
  z.union([
    z.strictObject({ eq: value }),
    z.strictObject({ neq: value }),
    z.strictObject({ in: z.array(value).check(z.minLength(1), z.maxLength(100)) }),
    z.strictObject({ exists: z.boolean() }),
  ]);

const numberOps = {
  eq: z.optional(z.number()),
  neq: z.optional(z.number()),
  gt: z.optional(z.number()),
  gte: z.optional(z.number()),
  lt: z.optional(z.number()),
  lte: z.optional(z.number()),
};
const numberOpNames = Object.keys(numberOps);
const hasNumberOp = z.refine(
  (c: unknown) => Object.keys(c as object).some((k) => numberOpNames.includes(k)),
  `name at least one of ${numberOpNames.join(', ')}`,
);
/** Numeric comparisons; every named one must hold. */
export interface NumberComparison {
  eq?: number | undefined;
  neq?: number | undefined;
  gt?: number | undefined;
  gte?: number | undefined;
  lt?: number | undefined;
  lte?: number | undefined;
}

/** Profile conditions: one field per condition object. */
export const ProfileCondition = z
  .strictObject({
    lifecycleStage: z.optional(textComparison(LifecycleStage)),
    jobTitle: z.optional(textComparison(Text)),
    source: z.optional(textComparison(Text)),
    channel: z.optional(textComparison(Channel)),
    locale: z.optional(textComparison(Text)),
    timezone: z.optional(textComparison(Text)),
    companyId: z.optional(z.strictObject({ exists: z.boolean() })),
    tags: z.optional(
      z.union([
        z.strictObject({ contains: Text }),
        z.strictObject({ containsAny: Texts }),
        z.strictObject({ containsAll: Texts }),
      ]),
    ),
  })
  .check(z.refine((c) => Object.keys(c).length === 1, 'name exactly one profile field'));
export type ProfileCondition = z.infer<typeof ProfileCondition>;

const AttributeValue = z.union([z.string().check(z.maxLength(2000)), z.number(), z.boolean()]);

/** A custom attribute condition (`attributes.<name>`). */
export const AttributeCondition = z
  .strictObject({
    name: z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'an attribute name')),
    eq: z.optional(AttributeValue),
    neq: z.optional(AttributeValue),
    in: z.optional(z.array(AttributeValue).check(z.minLength(1), z.maxLength(100))),
    exists: z.optional(z.boolean()),
    gt: z.optional(z.number()),
    gte: z.optional(z.number()),
    lt: z.optional(z.number()),
    lte: z.optional(z.number()),
    contains: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  })
  .check(z.refine((c) => Object.keys(c).length >= 2, 'name at least one operator beside the name'));
export type AttributeCondition = z.infer<typeof AttributeCondition>;

export const CompanyCondition = z
  .strictObject({
    industry: z.optional(textComparison(Text)),
    size: z.optional(textComparison(z.enum(companySizes))),
  })
  .check(z.refine((c) => Object.keys(c).length === 1, 'name exactly one company field'));
export type CompanyCondition = z.infer<typeof CompanyCondition>;

export const SubscriptionCondition = z.strictObject({
  type: z.string().check(z.minLength(1), z.maxLength(64)),
  status: z.enum(['subscribed', 'unsubscribed']),
});
export type SubscriptionCondition = z.infer<typeof SubscriptionCondition>;

/** Aggregates from the customer's STATS item (and the latest NPS answer). */
export const StatsCondition = z.union([
  z
    .strictObject({ field: z.enum(['ordersCount', 'openComplaints', 'nps']), ...numberOps })
    .check(hasNumberOp),
  z.strictObject({ field: z.literal('revenue'), currency: CurrencyCode, ...numberOps }).check(hasNumberOp),
  z.strictObject({
    field: z.enum(['lastOrderAt', 'lastContactAt']),
    withinDays: Days,
  }),
]);
export type StatsCondition = z.infer<typeof StatsCondition>;

const Count = z.int().check(z.gte(0), z.lte(TIMELINE_OCCURRENCES_KEPT));

/** "At least / at most / exactly n entries of a type in the last d days". */
export const TimelineCondition = z.strictObject({
  type: EntryType,
  count: z.union([
    z.strictObject({ gte: Count }),
    z.strictObject({ lte: Count }),
    z.strictObject({ eq: Count }),
  ]),
  withinDays: Days,
});
export type TimelineCondition = z.infer<typeof TimelineCondition>;

export type SegmentRule =
  | { all: SegmentRule[] }
  | { any: SegmentRule[] }
  | { not: SegmentRule }
  | { profile: ProfileCondition }
  | { attribute: AttributeCondition }
  | { company: CompanyCondition }
  | { subscription: SubscriptionCondition }
  | { stats: StatsCondition }
  | { timeline: TimelineCondition };

const ruleKeys = [
  'all',
  'any',
  'not',
  'profile',
  'attribute',
  'company',
  'subscription',
  'stats',
  'timeline',
];

const RuleNode: z.ZodMiniType<SegmentRule> = z.strictObject({
  get all() {
    return z.optional(z.array(RuleNode).check(z.minLength(1), z.maxLength(MAX_RULE_CONDITIONS)));
  },
  get any() {
    return z.optional(z.array(RuleNode).check(z.minLength(1), z.maxLength(MAX_RULE_CONDITIONS)));
  },
  get not() {
    return z.optional(RuleNode);
  },
  profile: z.optional(ProfileCondition),
  attribute: z.optional(AttributeCondition),
  company: z.optional(CompanyCondition),
  subscription: z.optional(SubscriptionCondition),
  stats: z.optional(StatsCondition),
  timeline: z.optional(TimelineCondition),
}) as unknown as z.ZodMiniType<SegmentRule>;

/** Depth of a rule (a lone condition is 1) and its number of conditions. */
export const ruleSize = (rule: SegmentRule): { depth: number; conditions: number } => {
  if ('all' in rule || 'any' in rule) {
    const children = 'all' in rule ? rule.all : rule.any;
    const sizes = children.map(ruleSize);
    return {
      depth: 1 + Math.max(0, ...sizes.map((s) => s.depth)),
      conditions: sizes.reduce((sum, s) => sum + s.conditions, 0),
    };
  }
  if ('not' in rule) {
    const inner = ruleSize(rule.not);
    return { depth: 1 + inner.depth, conditions: inner.conditions };
  }
  return { depth: 1, conditions: 1 };
};

interface ShapeIssue {
  path: PropertyKey[];
  message: string;
}

/** Nodes that do not name exactly one key, and the first node deeper than the limit, with their paths. */
const shapeIssues = (rule: SegmentRule, depth: number, path: PropertyKey[], out: ShapeIssue[]): void => {
  const keys = Object.keys(rule);
  if (keys.length !== 1) {
    out.push({ path, message: `name exactly one of ${ruleKeys.join(', ')}` });
    return;
  }
  if (depth > MAX_RULE_DEPTH) {
    out.push({ path, message: `rules nest at most ${MAX_RULE_DEPTH} levels deep` });
    return;
  }
  if ('all' in rule || 'any' in rule) {
    const key = 'all' in rule ? 'all' : 'any';
    const children = 'all' in rule ? rule.all : rule.any;
    for (const [i, child] of children.entries()) shapeIssues(child, depth + 1, [...path, key, i], out);
  }
  if ('not' in rule) shapeIssues(rule.not, depth + 1, [...path, 'not'], out);
};

/** A complete segment rule: the tree plus its bounds (depth ≤ 5, ≤ 50 conditions). */
export const SegmentRule = RuleNode.check(
  z.superRefine((rule, ctx) => {
    const issues: ShapeIssue[] = [];
    shapeIssues(rule, 1, [], issues);
    for (const issue of issues.slice(0, 20)) ctx.issues.push({ code: 'custom', input: rule, ...issue });
    if (issues.length > 0) return;
    const { conditions } = ruleSize(rule);
    if (conditions > MAX_RULE_CONDITIONS) {
      ctx.issues.push({
        code: 'custom',
        input: rule,
        message: `a rule holds at most ${MAX_RULE_CONDITIONS} conditions (this one has ${conditions})`,
      });
    }
  }),
).register(z.globalRegistry, {
  id: 'SegmentRule',
  description:
    'A tree of all/any/not over profile, attribute, company, subscription, stats and timeline conditions (docs/segments.md)',
});
