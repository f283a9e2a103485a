/**
 * The retries the local bus gives a rule's target, from the same stage config CDK deploys
 * (`infra/config/stages.ts`, `events.targetRetry` / `events.consumerRetry`, used by
 * `infra/constructs/event-backbone.ts`). The local cloud runs with the dev stage's values.
 *
 * - A Lambda target: EventBridge hands the event to Lambda asynchronously (that hand-over only
 *   fails on throttling or an unavailable service); a function error is retried by Lambda
 *   `consumerRetry.retryAttempts` times within `consumerRetry.maxEventAge`, then the event goes to
 *   the consumer's DLQ. Locally: 1 + `consumerRetry.retryAttempts` attempts.
 * - A state machine target: a failed `StartExecution` is retried by EventBridge
 *   `targetRetry.retryAttempts` times within `targetRetry.maxEventAge`, then the rule's DLQ.
 *   Locally: 1 + `targetRetry.retryAttempts` attempts.
 *
 * The local backoff is shorter (exponential from `baseDelayMs`, capped at `maxDelayMs`).
 */
import type { RuleTarget } from '#events/rules';
import type { StageConfig } from '#infra/config/stages';

/** The stage whose retry settings the local cloud follows. */
export const LOCAL_RETRY_STAGE = 'dev';

export interface TargetRetryPolicy {
  /** Attempts in all (the first included) before the DLQ. */
  attempts: number;
  /** An event older than this is not retried again (it goes to the DLQ). */
  maxEventAgeMs: number;
}

export const deployedTargetRetry =
  (stage: StageConfig) =>
  (target: RuleTarget): TargetRetryPolicy => {
    const retry = target.kind === 'lambda' ? stage.events.consumerRetry : stage.events.targetRetry;
    return { attempts: 1 + retry.retryAttempts, maxEventAgeMs: retry.maxEventAge.toMilliseconds() };
  };
