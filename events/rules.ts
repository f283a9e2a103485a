/**
 * The rules manifest: EventBridge pattern → target, collected from the capabilities that own
 * the consumers. CDK builds one `events.Rule` per entry on the
 * stage's bus (with a DLQ and an alarm per target), and the local bus (`infra/local/eventbridge.ts`)
 * matches the same patterns and invokes the same handlers.
 */
import { capabilities } from '#shared/capabilities/index';

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

/** Collected from the capabilities (`rules` of each `shared/capabilities/<name>/index.ts`). */
export const rules: readonly RuleDef[] = capabilities.flatMap((capability) => capability.rules);

export const ruleByName = (name: string): RuleDef | undefined => rules.find((rule) => rule.name === name);
