/**
 * `consumeEvent(name, contract, fn)`: the one way to write an EventBridge consumer. It
 *
 * 1. checks the event is the contract's (`source`, `detail-type`) and parses `detail` with its zod
 *    schema; anything else throws `InvalidEventError`, which sends the event to the target's DLQ;
 * 2. claims the event id for this consumer (`shared/events/dedupe.ts`); a duplicate delivery or a
 *    replay of a handled event is skipped; one that arrives while another delivery is running it
 *    throws `EventInProgressError` (retried later, so a failing first run cannot lose it);
 * 3. runs `fn`; when it throws, the claim is released and the error rethrown, so EventBridge's
 *    retry runs `fn` again; when it succeeds, the claim is completed.
 *
 * Only ids and types are logged, never the detail (it can carry personal data).
 */
import '#shared/zod-locale';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { CatalogEvent } from '#events/catalog';
import { docClient } from '#shared/aws/clients';
import { dedupeTableName } from '#shared/events/config';
import { createDedupeStore, type DedupeStore } from '#shared/events/dedupe';
import { logger } from '#shared/http/logger';
import { runWithRequestContext } from '#shared/http/request-context';

/** The event does not match the consumer's contract (wrong type, invalid detail). Not retryable. */
export class InvalidEventError extends Error {
  constructor(
    message: string,
    readonly consumer: string,
    readonly issues: ReadonlyArray<{ path: string; code: string }> = [],
  ) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/** Another delivery of the same event is being handled right now; retried by EventBridge. */
export class EventInProgressError extends Error {
  constructor(
    readonly consumer: string,
    readonly eventId: string,
  ) {
    super(`event ${eventId} is being handled by another invocation of ${consumer}`);
    this.name = 'EventInProgressError';
  }
}

export interface ConsumerDeps {
  dedupe: DedupeStore;
}

export interface ConsumerOptions {
  /** Wiring (default: the dedupe store on the one table, created on first use). */
  deps?: () => ConsumerDeps;
  /** Lock of a claim when the invocation's remaining time is unknown. Default 5 minutes. */
  defaultLockMs?: number;
}

export type ConsumerHandler = (event: EventBridgeEvent<string, unknown>, context?: Context) => Promise<void>;

let defaultDeps: ConsumerDeps | undefined;
const tableDeps = (): ConsumerDeps => {
  defaultDeps ??= { dedupe: createDedupeStore(docClient(), dedupeTableName()) };
  return defaultDeps;
};

/** Forgets the default wiring (tests switch tables between files). */
export const resetConsumerDeps = (): void => {
  defaultDeps = undefined;
};

export const consumeEvent = <C extends CatalogEvent>(
  name: string,
  contract: C,
  fn: (detail: z.output<C['detail']>, event: EventBridgeEvent<string, unknown>) => Promise<void>,
  options: ConsumerOptions = {},
): ConsumerHandler => {
  const deps = options.deps ?? tableDeps;
  return async (event, context) => {
    if (event.source !== contract.source || event['detail-type'] !== contract.detailType) {
      logger.error('Event is not the consumer’s contract', {
        consumer: name,
        source: event.source,
        detailType: event['detail-type'],
      });
      throw new InvalidEventError(
        `consumer ${name} expects ${contract.source}/${contract.detailType}, got ${event.source}/${event['detail-type']}`,
        name,
      );
    }
    const parsed = contract.detail.safeParse(event.detail);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
      logger.error('Event detail does not match its contract', {
        consumer: name,
        eventBridgeId: event.id,
        detailType: contract.detailType,
        issues,
      });
      throw new InvalidEventError(`invalid ${contract.detailType} detail for consumer ${name}`, name, issues);
    }
    const detail = parsed.data as z.output<C['detail']>;
    const { eventId } = detail as { eventId: string };
    const { dedupe } = deps();
    const lockMs = (context?.getRemainingTimeInMillis?.() ?? options.defaultLockMs ?? 300_000) + 1_000;
    const claim = await dedupe.claim(name, eventId, lockMs);
    if (claim === 'done') {
      logger.info('Duplicate event skipped', { consumer: name, eventId, detailType: contract.detailType });
      return;
    }
    if (claim === 'inProgress') {
      // Another delivery is running it. Failing (not skipping) lets EventBridge retry later: if
      // that run fails and releases its claim, the event is not lost.
      throw new EventInProgressError(name, eventId);
    }
    try {
      // Writes of a consumer are stamped as the consumer (a system actor) for the audit log; the
      // EventBridge event id correlates them with the delivery that caused them.
      await runWithRequestContext({ actor: { type: 'system', id: name }, correlationId: event.id }, () =>
        fn(detail, event),
      );
    } catch (error) {
      await dedupe.release(name, eventId);
      throw error;
    }
    try {
      await dedupe.complete(name, eventId);
    } catch (error) {
      // The work is done; an unmarked claim only expires its lock, after which a redelivery runs
      // the (idempotent) consumer once more: at least once, never lost.
      logger.warn('Could not mark the event handled', {
        consumer: name,
        eventId,
        error: error instanceof Error ? error.name : 'UnknownError',
      });
    }
  };
};
