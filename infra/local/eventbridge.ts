/**
 * The local EventBridge bus: a `PutEvents` endpoint (AWS JSON 1.1, `X-Amz-Target:
 * AWSEvents.PutEvents`) so the real `EventBridgeClient` publishes to it through
 * `AWS_ENDPOINT_URL_EVENTBRIDGE`, plus the rules of `events/rules.ts` matched with the same patterns
 * CDK deploys (`infra/local/event-pattern.ts`).
 *
 * Per request, like EventBridge: 1–10 entries and at most 256 KB in total (computed as the user
 * guide's "Calculating PutEvents event entry size"), else a `ValidationException` for the whole
 * request; per entry, `Source`, `DetailType` and `Detail` are required, `Detail` must be a JSON
 * object (`MalformedDetail`), the bus must be this one (name or ARN), and `aws.*` sources are
 * refused — failures are reported per entry (`ErrorCode`/`ErrorMessage`) with `FailedEntryCount`,
 * and the other entries are accepted.
 *
 * Each accepted entry becomes an event envelope (`version`, `id`, `detail-type`, `source`,
 * `account`, `time`, `region`, `resources`, `detail`), is matched against every rule, and each
 * matching rule's target is invoked asynchronously (after the PutEvents response) with retries and
 * exponential backoff; a target that still fails lands in the in-memory DLQ. The last N events,
 * their matched rules and delivery status are kept for `/_local/events` and for tests
 * (`events()`, `waitFor()`, `idle()`).
 *
 * Retries follow `retryPolicy` per target (`infra/local/retry-policy.ts`: the deployed
 * `targetRetry`/`consumerRetry` of the stage config), else `retry.attempts`. `injectFaults()`
 * (`infra/local/bus-faults.ts`) makes PutEvents throttle or fail entries and deliveries fail, for
 * tests of the retry paths.
 */
import { randomUUID } from 'node:crypto';
import type { RuleDef, RuleTarget } from '#events/rules';
import { AwsJsonError, startAwsJsonServer } from '#infra/local/aws-json';
import { type BusFaults, FaultSwitch, type InjectedFaults } from '#infra/local/bus-faults';
import { compilePattern, type EventPredicate } from '#infra/local/event-pattern';
import { describeError, invokeHandlerFile, LOCAL_ACCOUNT, LOCAL_AWS_REGION } from '#infra/local/lambda';
import type { TargetRetryPolicy } from '#infra/local/retry-policy';

export const MAX_PUT_EVENTS_BYTES = 256 * 1024;
export const MAX_PUT_EVENTS_ENTRIES = 10;

export interface BusEvent<D = Record<string, unknown>> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: D;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';

export interface Delivery {
  rule: string;
  target: string;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  /** What the target returned (e.g. an execution ARN), when it returned something. */
  result?: unknown;
  finishedAt?: Date;
}

export interface RecordedEvent {
  event: BusEvent;
  receivedAt: Date;
  matchedRules: string[];
  deliveries: Delivery[];
}

export interface DlqEntry {
  rule: string;
  target: string;
  event: BusEvent;
  error: string;
  attempts: number;
  at: Date;
}

export type TargetInvoker = (target: RuleTarget, event: BusEvent, rule: RuleDef) => Promise<unknown>;

export interface PutEventsRequestEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
  TraceHeader?: unknown;
}

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: Array<{ EventId: string } | { ErrorCode: string; ErrorMessage: string }>;
}

export interface LocalEventBridgeOptions {
  port?: number;
  host?: string;
  busName: string;
  rules: readonly RuleDef[];
  /** Calls a rule's target (default: Lambda targets only — see `createTargetInvoker`). */
  invoke?: TargetInvoker;
  /**
   * Attempts per target before the DLQ (default 3; `retryPolicy` overrides it), the first backoff
   * (default 100 ms, doubling) and the longest (default 60 s).
   */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Attempts and maximum event age per target, as deployed (`deployedTargetRetry`). */
  retryPolicy?: (target: RuleTarget) => TargetRetryPolicy;
  /** Events kept in memory (default 500). */
  historyLimit?: number;
  logger?: { error(message: string): void };
}

export interface LocalEventBridge {
  /** `http://127.0.0.1:<port>`; use as `AWS_ENDPOINT_URL_EVENTBRIDGE`. */
  endpoint: string;
  port: number;
  busName: string;
  busArn: string;
  rules: readonly RuleDef[];
  /** PutEvents in-process (same validation as the endpoint). */
  putEvents(entries: PutEventsRequestEntry[]): PutEventsResult;
  /** Recorded events, oldest first. */
  events(): RecordedEvent[];
  dlq(): DlqEntry[];
  /** Resolves with the first recorded event (past or future) for which `predicate` holds. */
  waitFor(predicate: (recorded: RecordedEvent) => boolean, timeoutMs?: number): Promise<RecordedEvent>;
  /** Resolves once no delivery is pending or retrying. */
  idle(timeoutMs?: number): Promise<void>;
  /** Test switch: throttle PutEvents, fail entries or target deliveries (`infra/local/bus-faults.ts`). */
  injectFaults(faults: BusFaults): void;
  clearFaults(): void;
  /** Faults injected so far, by kind. */
  injectedFaults(): InjectedFaults;
  close(): Promise<void>;
}

export const busArnFor = (busName: string): string =>
  `arn:aws:events:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT}:event-bus/${busName}`;

const targetLabel = (target: RuleTarget): string =>
  target.kind === 'lambda' ? `lambda ${target.handler}` : `stateMachine ${target.workflow}`;

/** The PutEvents entry size, as the EventBridge user guide computes it. */
export const putEventsEntrySize = (entry: PutEventsRequestEntry): number => {
  let size = 0;
  if (entry.Time !== undefined && entry.Time !== null) size += 14;
  if (typeof entry.Source === 'string') size += Buffer.byteLength(entry.Source);
  if (typeof entry.DetailType === 'string') size += Buffer.byteLength(entry.DetailType);
  if (typeof entry.Detail === 'string') size += Buffer.byteLength(entry.Detail);
  if (Array.isArray(entry.Resources)) {
    for (const resource of entry.Resources)
      if (typeof resource === 'string') size += Buffer.byteLength(resource);
  }
  return size;
};

/** `2017-12-22T18:43:48Z` (EventBridge drops the milliseconds). */
const eventTime = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

const parseTime = (raw: unknown): Date | undefined => {
  if (typeof raw === 'number' && Number.isFinite(raw)) return new Date(raw * 1000);
  if (typeof raw === 'string') {
    const date = new Date(raw);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
};

class EntryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const required = (entry: PutEventsRequestEntry, field: 'Source' | 'DetailType' | 'Detail'): string => {
  const value = entry[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new EntryError(
      'InvalidArgument',
      `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
    );
  }
  return value;
};

/** A target invoker for Lambda handler files and (when given) the local Step Functions. */
export const createTargetInvoker =
  (deps: {
    startExecution?: (input: { stateMachineArn: string; input: string }) => { executionArn: string };
    stateMachineArn?: (workflow: string) => string;
  }): TargetInvoker =>
  async (target, event) => {
    if (target.kind === 'lambda') {
      await invokeHandlerFile(target.handler, event);
      return undefined;
    }
    if (!deps.startExecution || !deps.stateMachineArn) {
      throw new Error(`no local Step Functions to start workflow ${target.workflow}`);
    }
    const { executionArn } = deps.startExecution({
      stateMachineArn: deps.stateMachineArn(target.workflow),
      input: JSON.stringify(event),
    });
    return executionArn;
  };

const delay = (ms: number, timers: Set<NodeJS.Timeout>): Promise<void> =>
  new Promise((done) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      done();
    }, ms);
    timers.add(timer);
  });

export const startLocalEventBridge = async (options: LocalEventBridgeOptions): Promise<LocalEventBridge> => {
  const { busName } = options;
  const busArn = busArnFor(busName);
  const attempts = Math.max(1, options.retry?.attempts ?? 3);
  const baseDelayMs = options.retry?.baseDelayMs ?? 100;
  const maxDelayMs = options.retry?.maxDelayMs ?? 60_000;
  const policyOf = (target: RuleTarget): TargetRetryPolicy =>
    options.retryPolicy?.(target) ?? { attempts, maxEventAgeMs: Number.POSITIVE_INFINITY };
  const faults = new FaultSwitch();
  const historyLimit = options.historyLimit ?? 500;
  const logger = options.logger ?? { error: (m: string) => console.error(m) };
  const invoke = options.invoke ?? createTargetInvoker({});
  const compiled: Array<{ rule: RuleDef; matches: EventPredicate }> = options.rules.map((rule) => ({
    rule,
    matches: compilePattern(rule.pattern),
  }));
  const recorded: RecordedEvent[] = [];
  const dead: DlqEntry[] = [];
  const listeners = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  const inflight = new Set<Promise<void>>();
  let closed = false;

  const changed = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const deliver = async (rule: RuleDef, event: BusEvent, delivery: Delivery): Promise<void> => {
    const policy = policyOf(rule.target);
    const receivedAt = Date.now();
    for (let attempt = 1; attempt <= Math.max(1, policy.attempts); attempt += 1) {
      if (closed) return;
      delivery.attempts = attempt;
      try {
        faults.checkDelivery(rule.name);
        const result = await invoke(rule.target, event, rule);
        delivery.status = 'succeeded';
        if (result !== undefined) delivery.result = result;
        delivery.finishedAt = new Date();
        changed();
        return;
      } catch (error) {
        delivery.lastError = describeError(error);
        const wait = Math.min(baseDelayMs * 2 ** (attempt - 1), maxDelayMs);
        if (attempt >= policy.attempts || Date.now() + wait - receivedAt > policy.maxEventAgeMs) break;
        delivery.status = 'retrying';
        changed();
        await delay(wait, timers);
      }
    }
    delivery.status = 'failed';
    delivery.finishedAt = new Date();
    dead.push({
      rule: rule.name,
      target: delivery.target,
      event,
      error: delivery.lastError ?? 'unknown error',
      attempts: delivery.attempts,
      at: delivery.finishedAt,
    });
    if (dead.length > historyLimit) dead.shift();
    logger.error(
      `[relay-local] bus ${busName}: rule ${rule.name} → ${delivery.target} failed ${delivery.attempts}× for event ${event.id} (${event['detail-type']}); sent to the DLQ: ${delivery.lastError}`,
    );
    changed();
  };

  const route = (event: BusEvent): void => {
    const matched = compiled.filter(({ matches }) => matches(event));
    const entry: RecordedEvent = {
      event,
      receivedAt: new Date(),
      matchedRules: matched.map(({ rule }) => rule.name),
      deliveries: matched.map(({ rule }) => ({
        rule: rule.name,
        target: targetLabel(rule.target),
        status: 'pending',
        attempts: 0,
      })),
    };
    recorded.push(entry);
    if (recorded.length > historyLimit) recorded.shift();
    changed();
    matched.forEach(({ rule }, index) => {
      const delivery = entry.deliveries[index] as Delivery;
      // Asynchronous, like EventBridge: PutEvents answers before any target runs.
      const pending = new Promise<void>((done) => setImmediate(done))
        .then(() => deliver(rule, event, delivery))
        .finally(() => {
          inflight.delete(pending);
          // `idle()` waits for an empty `inflight` too: tell it when the last delivery settles.
          changed();
        });
      inflight.add(pending);
    });
  };

  const acceptEntry = (entry: PutEventsRequestEntry, now: Date): BusEvent => {
    const bus = entry.EventBusName;
    if (bus === undefined || bus === null || bus === '') {
      throw new EntryError(
        'InvalidArgument',
        `Parameter EventBusName is not valid. Reason: the local bus only hosts "${busName}" (the default bus is not emulated).`,
      );
    }
    if (bus !== busName && bus !== busArn) {
      throw new EntryError('InvalidArgument', `Event bus ${String(bus)} does not exist.`);
    }
    const source = required(entry, 'Source');
    const detailType = required(entry, 'DetailType');
    const detailText = required(entry, 'Detail');
    if (source.startsWith('aws.')) {
      throw new EntryError('NotAuthorizedForSourceException', `Not authorized for the source ${source}.`);
    }
    let detail: unknown;
    try {
      detail = JSON.parse(detailText);
    } catch {
      throw new EntryError('MalformedDetail', 'Detail is malformed.');
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      throw new EntryError('MalformedDetail', 'Detail is malformed.');
    }
    let resources: string[] = [];
    if (entry.Resources !== undefined && entry.Resources !== null) {
      if (!Array.isArray(entry.Resources) || !entry.Resources.every((r) => typeof r === 'string')) {
        throw new EntryError('InvalidArgument', 'Parameter Resources is not valid.');
      }
      resources = entry.Resources as string[];
    }
    const time = entry.Time === undefined || entry.Time === null ? now : parseTime(entry.Time);
    if (!time) throw new EntryError('InvalidArgument', 'Parameter Time is not valid.');
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: LOCAL_ACCOUNT,
      time: eventTime(time),
      region: LOCAL_AWS_REGION,
      resources,
      detail: detail as Record<string, unknown>,
    };
  };

  const putEvents = (entries: PutEventsRequestEntry[]): PutEventsResult => {
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_PUT_EVENTS_ENTRIES) {
      throw new AwsJsonError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_PUT_EVENTS_ENTRIES}`,
      );
    }
    const total = entries.reduce((sum, entry) => sum + putEventsEntrySize(entry ?? {}), 0);
    if (total > MAX_PUT_EVENTS_BYTES) {
      throw new AwsJsonError(
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    }
    // Test switch: EventBridge answers a throttled request with a 400 for the whole request.
    if (faults.throttled()) throw new AwsJsonError('ThrottlingException', 'Rate exceeded');
    const now = new Date();
    const accepted: BusEvent[] = [];
    const results = entries.map((entry) => {
      try {
        const event = acceptEntry(entry ?? {}, now);
        const injected = faults.entryFailure();
        if (injected) {
          return { ErrorCode: injected, ErrorMessage: `${injected} (injected by the local bus)` };
        }
        accepted.push(event);
        return { EventId: event.id };
      } catch (error) {
        if (!(error instanceof EntryError)) throw error;
        return { ErrorCode: error.code, ErrorMessage: error.message };
      }
    });
    for (const event of accepted) route(event);
    return { FailedEntryCount: entries.length - accepted.length, Entries: results };
  };

  const server = await startAwsJsonServer({
    port: options.port,
    host: options.host,
    protocol: '1.1',
    targetPrefix: 'AWSEvents',
    operations: {
      PutEvents: (body) => putEvents(body.Entries as PutEventsRequestEntry[]),
    },
  });

  const waitUntil = <T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((done, fail) => {
      const check = (): void => {
        const value = probe();
        if (value !== undefined) {
          cleanup();
          done(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        fail(new Error(`${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  return {
    endpoint: server.url,
    port: server.port,
    busName,
    busArn,
    rules: options.rules,
    putEvents,
    events: () => [...recorded],
    dlq: () => [...dead],
    waitFor: (predicate, timeoutMs = 5_000) =>
      waitUntil(() => recorded.find(predicate), timeoutMs, `no matching event on bus ${busName}`),
    idle: (timeoutMs = 5_000) =>
      waitUntil(
        () =>
          recorded.every((entry) =>
            entry.deliveries.every((d) => d.status === 'succeeded' || d.status === 'failed'),
          ) && inflight.size === 0
            ? true
            : undefined,
        timeoutMs,
        `deliveries still pending on bus ${busName}`,
      ).then(() => undefined),
    injectFaults: (injected) => faults.inject(injected),
    clearFaults: () => faults.clear(),
    injectedFaults: () => faults.injected(),
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await server.close();
      await Promise.race([
        Promise.allSettled([...inflight]),
        new Promise((done) => setTimeout(done, 2_000).unref()),
      ]);
    },
  };
};
