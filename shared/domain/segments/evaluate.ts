/**
 * The pure segment evaluator: `evaluate(rule, facts, now)` decides membership from one customer's
 * facts, `fieldsRead(rule)` names the fact keys a rule depends on (segments are indexed by them, so a
 * change re-evaluates only the segments that read a changed key) and `nextFlipAt(rule, facts, now)`
 * is the earliest instant a time-window condition can change its value without new data.
 *
 * Fact keys: `profile.<field>`, `attributes.<name>`, `company.<field>`, `subscriptions.<type>`,
 * `stats.<field>` (`stats.revenue.<currency>`), `timeline.<type>`. `changedFacts(before, after)`
 * gives the keys whose values differ between two snapshots of one customer's facts.
 */
import type { companySizes } from '#shared/domain/companies/schemas';
import type {
  AttributeCondition,
  CompanyCondition,
  NumberComparison,
  ProfileCondition,
  SegmentRule,
  StatsCondition,
  TimelineCondition,
} from '#shared/domain/segments/rules';

export const DAY_MS = 86_400_000;

export type SubscriptionStatus = 'subscribed' | 'unsubscribed' | 'pending';
type AttributeValue = string | number | boolean | null;

/** Everything a rule can read about one customer. */
export interface SegmentFacts {
  profile: {
    lifecycleStage: string;
    tags: readonly string[];
    jobTitle?: string | undefined;
    source?: string | undefined;
    channel?: string | undefined;
    locale?: string | undefined;
    timezone?: string | undefined;
    companyId?: string | undefined;
  };
  attributes: Readonly<Record<string, AttributeValue>>;
  company?: { industry?: string | undefined; size?: (typeof companySizes)[number] | undefined } | undefined;
  stats: {
    ordersCount: number;
    revenue: Readonly<Record<string, number>>;
    openComplaints: number;
    lastOrderAt: string | null;
    lastContactAt: string | null;
    /** Score of the latest NPS survey answer, when there is one. */
    nps?: number | null | undefined;
  };
  subscriptions: Readonly<Record<string, SubscriptionStatus>>;
  /** Per timeline type: occurrence times (ISO), ascending, the newest TIMELINE_OCCURRENCES_KEPT only. */
  timeline: Readonly<Record<string, readonly string[]>>;
}

type TextOp = { eq: string } | { neq: string } | { in: readonly string[] } | { exists: boolean };

const matchText = (op: TextOp, value: string | undefined): boolean => {
  if ('exists' in op) return (value !== undefined) === op.exists;
  if ('eq' in op) return value === op.eq;
  if ('neq' in op) return value !== op.neq;
  return value !== undefined && op.in.includes(value);
};

const matchNumber = (op: NumberComparison, value: number | null | undefined): boolean => {
  if (value === null || value === undefined) return false;
  return (
    (op.eq === undefined || value === op.eq) &&
    (op.neq === undefined || value !== op.neq) &&
    (op.gt === undefined || value > op.gt) &&
    (op.gte === undefined || value >= op.gte) &&
    (op.lt === undefined || value < op.lt) &&
    (op.lte === undefined || value <= op.lte)
  );
};

const only = <T extends object>(condition: T): [keyof T & string, NonNullable<T[keyof T]>] => {
  const [key, value] = Object.entries(condition)[0] as [keyof T & string, NonNullable<T[keyof T]>];
  return [key, value];
};

const profileMatches = (condition: ProfileCondition, facts: SegmentFacts): boolean => {
  const [field, op] = only(condition);
  const profile = facts.profile;
  switch (field) {
    case 'tags': {
      const tags = op as NonNullable<ProfileCondition['tags']>;
      if ('contains' in tags) return profile.tags.includes(tags.contains);
      if ('containsAny' in tags) return tags.containsAny.some((t) => profile.tags.includes(t));
      return tags.containsAll.every((t) => profile.tags.includes(t));
    }
    case 'companyId':
      return (profile.companyId !== undefined) === (op as { exists: boolean }).exists;
    default:
      return matchText(op as TextOp, profile[field]);
  }
};

const attributeMatches = (condition: AttributeCondition, facts: SegmentFacts): boolean => {
  const raw = facts.attributes[condition.name];
  const value = raw === null ? undefined : raw;
  if (condition.exists !== undefined && (value !== undefined) !== condition.exists) return false;
  if (condition.eq !== undefined && value !== condition.eq) return false;
  if (condition.neq !== undefined && value === condition.neq) return false;
  if (condition.in !== undefined && (value === undefined || !condition.in.includes(value))) return false;
  if (
    condition.contains !== undefined &&
    (typeof value !== 'string' || !value.toLowerCase().includes(condition.contains.toLowerCase()))
  ) {
    return false;
  }
  const numeric = [condition.gt, condition.gte, condition.lt, condition.lte].some((v) => v !== undefined);
  const { gt, gte, lt, lte } = condition;
  if (numeric && !matchNumber({ gt, gte, lt, lte }, typeof value === 'number' ? value : undefined))
    return false;
  return true;
};

const companyMatches = (condition: CompanyCondition, facts: SegmentFacts): boolean => {
  const [field, op] = only(condition);
  return matchText(op as TextOp, facts.company?.[field]);
};

/** Milliseconds of `iso`, or undefined. */
const ms = (iso: string | null | undefined): number | undefined => (iso ? Date.parse(iso) : undefined);

/** An instant is within the last `days` days of `now` while `now ≤ t + days`. */
const windowEnd = (t: number, days: number): number => t + days * DAY_MS;

const statsMatches = (condition: StatsCondition, facts: SegmentFacts, now: number): boolean => {
  if (condition.field === 'lastOrderAt' || condition.field === 'lastContactAt') {
    const t = ms(facts.stats[condition.field]);
    return t !== undefined && now <= windowEnd(t, condition.withinDays);
  }
  if (condition.field === 'revenue')
    return matchNumber(condition, facts.stats.revenue[condition.currency] ?? 0);
  return matchNumber(condition as NumberComparison, facts.stats[condition.field]);
};

/** In-window occurrence times of a timeline condition, newest first. */
const inWindow = (condition: TimelineCondition, facts: SegmentFacts, now: number): number[] => {
  const times = facts.timeline[condition.type] ?? [];
  const out: number[] = [];
  for (let i = times.length - 1; i >= 0; i--) {
    const t = Date.parse(times[i] as string);
    if (now > windowEnd(t, condition.withinDays)) break;
    out.push(t);
  }
  return out;
};

const countMatches = (count: TimelineCondition['count'], n: number): boolean => {
  if ('gte' in count) return n >= count.gte;
  if ('lte' in count) return n <= count.lte;
  return n === count.eq;
};

const timelineMatches = (condition: TimelineCondition, facts: SegmentFacts, now: number): boolean =>
  countMatches(condition.count, inWindow(condition, facts, now).length);

/** Does the customer described by `facts` belong to the segment at `now` (ms since the epoch)? */
export const evaluate = (rule: SegmentRule, facts: SegmentFacts, now: number): boolean => {
  if ('all' in rule) return rule.all.every((r) => evaluate(r, facts, now));
  if ('any' in rule) return rule.any.some((r) => evaluate(r, facts, now));
  if ('not' in rule) return !evaluate(rule.not, facts, now);
  if ('profile' in rule) return profileMatches(rule.profile, facts);
  if ('attribute' in rule) return attributeMatches(rule.attribute, facts);
  if ('company' in rule) return companyMatches(rule.company, facts);
  if ('subscription' in rule) {
    return (facts.subscriptions[rule.subscription.type] ?? 'unsubscribed') === rule.subscription.status;
  }
  if ('stats' in rule) return statsMatches(rule.stats, facts, now);
  return timelineMatches(rule.timeline, facts, now);
};

/** The fact keys a rule reads (see the module comment for their form). */
export const fieldsRead = (rule: SegmentRule): Set<string> => {
  const out = new Set<string>();
  const walk = (node: SegmentRule): void => {
    if ('all' in node) node.all.forEach(walk);
    else if ('any' in node) node.any.forEach(walk);
    else if ('not' in node) walk(node.not);
    else if ('profile' in node) out.add(`profile.${only(node.profile)[0]}`);
    else if ('attribute' in node) out.add(`attributes.${node.attribute.name}`);
    else if ('company' in node) out.add(`company.${only(node.company)[0]}`);
    else if ('subscription' in node) out.add(`subscriptions.${node.subscription.type}`);
    else if ('stats' in node) {
      out.add(
        node.stats.field === 'revenue' ? `stats.revenue.${node.stats.currency}` : `stats.${node.stats.field}`,
      );
    } else out.add(`timeline.${node.timeline.type}`);
  };
  walk(rule);
  return out;
};

/**
 * When the count of in-window entries next crosses the condition's threshold, or undefined. The
 * count only falls as time passes: the k-th newest in-window entry leaves the window just after
 * `t_k + withinDays`.
 */
const timelineFlip = (condition: TimelineCondition, facts: SegmentFacts, now: number): number | undefined => {
  const times = inWindow(condition, facts, now);
  const leaves = (k: number): number | undefined => {
    const t = times[k - 1];
    return t === undefined ? undefined : windowEnd(t, condition.withinDays) + 1;
  };
  const n = times.length;
  const { count } = condition;
  if ('gte' in count) return n >= count.gte && count.gte > 0 ? leaves(count.gte) : undefined;
  if ('lte' in count) return n > count.lte ? leaves(count.lte + 1) : undefined;
  if (n > count.eq) return leaves(count.eq + 1);
  return n === count.eq && count.eq > 0 ? leaves(count.eq) : undefined;
};

/**
 * The earliest instant after `now` at which a time-window condition of the rule can change its value
 * without new data (a bound: the rule as a whole may keep its value), or undefined when none can.
 */
export const nextFlipAt = (rule: SegmentRule, facts: SegmentFacts, now: number): number | undefined => {
  const flips: number[] = [];
  const walk = (node: SegmentRule): void => {
    if ('all' in node) node.all.forEach(walk);
    else if ('any' in node) node.any.forEach(walk);
    else if ('not' in node) walk(node.not);
    else if ('timeline' in node) {
      const at = timelineFlip(node.timeline, facts, now);
      if (at !== undefined) flips.push(at);
    } else if (
      'stats' in node &&
      (node.stats.field === 'lastOrderAt' || node.stats.field === 'lastContactAt')
    ) {
      const t = ms(facts.stats[node.stats.field]);
      if (t !== undefined && now <= windowEnd(t, node.stats.withinDays)) {
        flips.push(windowEnd(t, node.stats.withinDays) + 1);
      }
    }
  };
  walk(rule);
  return flips.length === 0 ? undefined : Math.min(...flips);
};

const flatten = (facts: SegmentFacts): Map<string, string> => {
  const out = new Map<string, string>();
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) out.set(key, JSON.stringify(value));
  };
  for (const [k, v] of Object.entries(facts.profile)) put(`profile.${k}`, v);
  for (const [k, v] of Object.entries(facts.attributes)) put(`attributes.${k}`, v);
  for (const [k, v] of Object.entries(facts.company ?? {})) put(`company.${k}`, v);
  for (const [k, v] of Object.entries(facts.subscriptions)) put(`subscriptions.${k}`, v);
  for (const [k, v] of Object.entries(facts.stats)) {
    if (k === 'revenue') {
      for (const [c, amount] of Object.entries(v as Record<string, number>))
        put(`stats.revenue.${c}`, amount);
    } else put(`stats.${k}`, v);
  }
  for (const [k, v] of Object.entries(facts.timeline)) if (v.length > 0) put(`timeline.${k}`, v);
  return out;
};

/** Fact keys whose values differ between two snapshots of one customer's facts. */
export const changedFacts = (
  before: SegmentFacts | undefined,
  after: SegmentFacts | undefined,
): Set<string> => {
  const a = before ? flatten(before) : new Map<string, string>();
  const b = after ? flatten(after) : new Map<string, string>();
  const out = new Set<string>();
  for (const [k, v] of a) if (b.get(k) !== v) out.add(k);
  for (const k of b.keys()) if (!a.has(k)) out.add(k);
  return out;
};

/** Does a rule read any of the changed keys? */
export const readsAny = (read: ReadonlySet<string>, changed: ReadonlySet<string>): boolean => {
  for (const key of changed) if (read.has(key)) return true;
  return false;
};
