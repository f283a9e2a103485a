/**
 * The rules manifest: EventBridge pattern → target. CDK builds one `events.Rule` per entry on the
 * stage's bus (with a DLQ and an alarm per target), and the local bus (`infra/local/eventbridge.ts`)
 * matches the same patterns and invokes the same handlers.
 */
import { catalog, customerPurgeRequested, timelineEntryAdded } from '#events/catalog';

/** One matcher of an EventBridge pattern (content filtering). */
export type PatternMatcher =
  | string
  | number
  | boolean
  | null
  | { prefix: string | { 'equals-ignore-case': string } }
  | { suffix: string | { 'equals-ignore-case': string } }
  | { 'equals-ignore-case': string }
  | { wildcard: string }
  | { 'anything-but': string | number | Array<string | number> | { prefix: string } | { suffix: string } }
  | { exists: boolean }
  | { numeric: Array<string | number> }
  | { cidr: string };

export interface EventPattern {
  [field: string]: PatternMatcher[] | EventPattern | EventPattern[] | undefined;
  $or?: EventPattern[];
}

export type RuleTarget =
  /** A Lambda handler: a repo-relative file exporting `handler(event: EventBridgeEvent)`. */
  | {
      kind: 'lambda';
      handler: string;
      /** Function timeout when longer than the stage default (e.g. a purge of a long timeline). */
      timeoutSeconds?: number;
    }
  /** A Step Functions workflow: `infra/workflows/<workflow>.asl.json`; the event is the input. */
  | { kind: 'stateMachine'; workflow: string };

export interface RuleDef {
  /** Stable id: the CDK construct id and the local bus's rule name. */
  name: string;
  description: string;
  pattern: EventPattern;
  target: RuleTarget;
}

export const rules: readonly RuleDef[] = [
  {
    name: 'dispatch-webhooks',
    description: 'Every domain event → the webhook dispatcher, which fans out to matching subscriptions.',
    pattern: {
      source: [...new Set(catalog.map((event) => event.source))],
      'detail-type': catalog.map((event) => event.detailType),
    },
    target: { kind: 'lambda', handler: 'functions/events/dispatch-webhooks.ts' },
  },
  {
    name: 'flag-serious-complaints',
    description:
      'A high or critical complaint → flag the customer as needing attention (shown in the 360 view).',
    pattern: {
      source: [timelineEntryAdded.source],
      'detail-type': [timelineEntryAdded.detailType],
      detail: { type: ['complaint'], severity: ['high', 'critical'] },
    },
    target: { kind: 'lambda', handler: 'functions/events/flag-serious-complaint.ts' },
  },
  {
    name: 'purge-customers',
    description:
      'A customer tombstone (recycle bin expired, or erased by an admin) → remove every item holding their data.',
    pattern: {
      source: [customerPurgeRequested.source],
      'detail-type': [customerPurgeRequested.detailType],
    },
    // Resumable: a purge that outlives one invocation is retried and finishes what is left.
    target: { kind: 'lambda', handler: 'functions/events/purge-customer.ts', timeoutSeconds: 900 },
  },
];

export const ruleByName = (name: string): RuleDef | undefined => rules.find((rule) => rule.name === name);
