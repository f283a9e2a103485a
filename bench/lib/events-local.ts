/**
 * The LOCAL stream → bus path end to end, in a process of its own (`benchLocalStreamToBus()` in
 * `bench/events.ts` spawns this file): DynamoDB Local (in memory) → the local stream poller
 * (`infra/local/streams.ts`, LATEST, default poll interval) → the real stream function
 * (`functions/streams/publish-domain-events.ts`) → the real EventBridgeClient → the local bus
 * (`infra/local/eventbridge.ts`) → one catch-all rule on the relay sources whose target counts.
 *
 * Changes are customer creates through the real domain service and stores (`createCustomer` with
 * `appDeps()`); each commits a customer item and its initial lifecycle entry, which the stream
 * mapping turns into the events listed in `EVENTS_PER_CREATE`.
 *
 * A process of its own because the function code reads its environment once and keeps SDK clients
 * in module singletons: the rest of the bench (the API run) has already created them against
 * another DynamoDB Local, and the EventBridge endpoint must be set before the client exists.
 *
 * Prints one JSON `LocalStreamBenchResult` on stdout. `--changes N` (300), `--concurrency N` (4).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { customerCreated } from '#events/customers/customer-created';
import { customerLifecycleChanged } from '#events/customers/customer-lifecycle-changed';
import type { RuleDef } from '#events/rules';
import { timelineEntryAdded } from '#events/timeline/timeline-entry-added';
import { round, summarize } from './stats.ts';

/** What one customer create publishes (shared/events/from-stream.ts: the customer INSERT, the lifecycle entry INSERT). */
export const EVENTS_PER_CREATE = [customerCreated, timelineEntryAdded, customerLifecycleChanged].map(
  (event) => event.detailType,
);

export interface LocalStreamBenchResult {
  changes: number;
  writeConcurrency: number;
  expectedEvents: number;
  deliveredEvents: number;
  duplicatesDelivered: number;
  unexpectedEvents: number;
  complete: boolean;
  /** From the first write starting until the last expected event reached the counting target. */
  endToEndMs: number;
  eventsPerSecond: number;
  changesPerSecond: number;
  /** The writes alone (createCustomer → DynamoDB Local), from the first start to the last response. */
  writePhaseMs: number;
  /** After the last write returned, until the last event was delivered (the tail the poller adds). */
  drainAfterLastWriteMs: number;
  /** Per event: its change's write response → delivery to the target (ms). */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  putEventsCalls: number;
  putEventsCallsPer100Changes: number;
  /** Events per PutEvents call (the publisher packs up to 10). */
  entriesPerPutEvents: number;
  /** Stream records the function received (every item a create writes, not only those that map to events). */
  streamRecords: number;
  putEventsCallsPer100StreamRecords: number;
  streamInvocations: number;
  recordsPerInvocation: number;
  streamPollIntervalMs: number;
  dynamoLocalStartupMs: number;
  notes: string[];
}

const STREAM_HANDLER = 'functions/streams/publish-domain-events.ts';
const POLL_INTERVAL_MS = 200; // the poller's default, as `npm start` runs it
const BUS = 'relay-bench-local';
const TABLE = 'relay-bench-events';

export const runLocalStreamToBus = async (
  options: { changes?: number; concurrency?: number; timeoutMs?: number } = {},
): Promise<LocalStreamBenchResult> => {
  const changes = options.changes ?? 300;
  const concurrency = options.concurrency ?? 4;
  const timeoutMs = options.timeoutMs ?? 45_000;
  const expectedEvents = changes * EVENTS_PER_CREATE.length;
  const stops: Array<() => Promise<void>> = [];

  // PutEvents requests as the bus's HTTP server sees them (SDK retries included).
  let busPort = -1;
  let putEventsCalls = 0;
  const onRequest = (message: unknown): void => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    const address = server.address();
    if (typeof address !== 'object' || address?.port !== busPort) return;
    if (request.headers['x-amz-target'] === 'AWSEvents.PutEvents') putEventsCalls++;
  };
  subscribe('http.server.request.start', onRequest);
  stops.push(async () => void unsubscribe('http.server.request.start', onRequest));

  try {
    const { startDynamoLocal, ensureTable, localDynamoClient, LOCAL_CREDENTIALS, LOCAL_REGION } =
      await import('#infra/local/dynamodb');
    const dynamo = await startDynamoLocal();
    stops.push(() => dynamo.stop());
    const admin = localDynamoClient(dynamo.endpoint);
    await ensureTable(admin, TABLE);
    admin.destroy();

    // The counting target: first delivery time per event id, by customer.
    const delivered = new Map<string, { at: number; customerId: string; detailType: string }>();
    let duplicates = 0;
    let unexpected = 0;
    let allDelivered: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      allDelivered = resolve;
    });
    const wanted = new Set<string>(EVENTS_PER_CREATE);
    const sources = [...new Set([customerCreated, timelineEntryAdded].map((e) => e.source))];
    const countRule: RuleDef = {
      name: 'bench-count',
      description: 'Every relay event → a counter (bench only).',
      pattern: { source: sources },
      target: { kind: 'lambda', handler: 'bench/lib/events-local.ts' }, // never invoked: `invoke` below counts
    };
    const { startLocalEventBridge } = await import('#infra/local/eventbridge');
    const bus = await startLocalEventBridge({
      busName: BUS,
      rules: [countRule],
      historyLimit: 100,
      invoke: async (_target, event) => {
        const at = performance.now();
        const detail = event.detail as { eventId?: string; customerId?: string };
        const id = detail.eventId ?? event.id;
        if (delivered.has(id)) {
          duplicates++;
          return undefined;
        }
        if (!wanted.has(event['detail-type'])) unexpected++;
        delivered.set(id, { at, customerId: detail.customerId ?? '', detailType: event['detail-type'] });
        if (delivered.size - unexpected >= expectedEvents) allDelivered();
        return undefined;
      },
      logger: { error: (line) => process.stderr.write(`${line}\n`) },
    });
    stops.push(() => bus.close());
    busPort = bus.port;

    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      EVENT_BUS_NAME: BUS,
      TABLE_NAME: TABLE,
      STAGE: 'bench',
      // The publisher's audit step reads it at cold start, as CDK sets it (infra/config/stages.ts).
      AUDIT_RETENTION_DAYS: '90',
      // Nothing here lists through cursors; the reference only satisfies the API's config.
      CURSOR_KEYS_SECRET_ID: 'relay-bench/cursor-keys',
      POWERTOOLS_SERVICE_NAME: 'relay',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    // Function and domain code only after the environment is set (clients and config read it once).
    await import('#functions/streams/publish-domain-events');
    const { startStreamPoller } = await import('#infra/local/streams');
    const { streamPublisherSource } = await import('#infra/config/stream-source');
    // The deployed mapping: its filter criteria, batch size and retries.
    const poller = await startStreamPoller({
      endpoint: dynamo.endpoint,
      tableName: TABLE,
      handler: STREAM_HANDLER,
      startingPosition: 'LATEST',
      batchSize: streamPublisherSource.batchSize,
      maxRetries: streamPublisherSource.retryAttempts,
      filterCriteria: streamPublisherSource.filterCriteria,
      pollIntervalMs: POLL_INTERVAL_MS,
      logger: { error: (line) => process.stderr.write(`${line}\n`) },
    });
    stops.push(() => poller.stop());
    let invocations = 0;
    let invokedRecords = 0;
    const { appDeps } = await import('#shared/deps');
    const { createCustomer } = await import('#shared/domain/customers/service');
    const deps = appDeps();
    const caller = { sub: 'bench-admin', roles: ['admin' as const], scopes: new Set<never>(), isAdmin: true };

    // Warm-up outside the measurement: one create through the whole path (SDK clients, handler import).
    const warm = await createCustomer(deps, caller, {
      firstName: 'Warm',
      lastName: 'Up',
      lifecycleStage: 'lead',
    });
    const warmDeadline = performance.now() + 10_000;
    while (
      [...delivered.values()].filter((d) => d.customerId === warm.id).length < EVENTS_PER_CREATE.length
    ) {
      if (performance.now() > warmDeadline)
        throw new Error('warm-up events did not reach the bus within 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    await poller.drained(10_000);
    delivered.clear();
    putEventsCalls = 0;
    const batchesBefore = poller.batches().length;

    // The measured run.
    const writtenAt = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    const writer = async (): Promise<void> => {
      while (next < changes) {
        const i = next++;
        const customer = await createCustomer(deps, caller, {
          firstName: 'Bench',
          lastName: `Stream ${i}`,
          emails: [{ address: `bench-stream-${i}@example.com`, primary: true }],
          lifecycleStage: 'lead',
          tags: ['bench'],
        });
        writtenAt.set(customer.id, performance.now());
      }
    };
    await Promise.all(Array.from({ length: concurrency }, writer));
    const writesDone = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      done.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    const measured = [...delivered.values()].filter((d) => writtenAt.has(d.customerId));
    const lastAt = Math.max(...measured.map((d) => d.at), writesDone);
    const batches = poller.batches().slice(batchesBefore);
    invocations = batches.length;
    invokedRecords = batches.reduce((sum, b) => sum + b.records, 0);
    const latencies = measured.map((d) => d.at - (writtenAt.get(d.customerId) ?? d.at));
    const endToEndMs = lastAt - started;
    const summary = summarize(latencies);

    return {
      changes,
      writeConcurrency: concurrency,
      expectedEvents,
      deliveredEvents: measured.length,
      duplicatesDelivered: duplicates,
      unexpectedEvents: unexpected,
      complete: finished && measured.length === expectedEvents,
      endToEndMs: round(endToEndMs, 1),
      eventsPerSecond: Math.round((measured.length / endToEndMs) * 1000),
      changesPerSecond: Math.round((changes / endToEndMs) * 1000),
      writePhaseMs: round(writesDone - started, 1),
      drainAfterLastWriteMs: round(lastAt - writesDone, 1),
      latencyMs: {
        p50: round(summary.median, 1),
        p90: round(summary.p90, 1),
        p99: round(summary.p99, 1),
        max: round(summary.max, 1),
        mean: round(summary.mean, 1),
      },
      putEventsCalls,
      putEventsCallsPer100Changes: round((putEventsCalls / changes) * 100, 1),
      entriesPerPutEvents: putEventsCalls ? round(measured.length / putEventsCalls, 2) : 0,
      streamRecords: invokedRecords,
      putEventsCallsPer100StreamRecords: invokedRecords
        ? round((putEventsCalls / invokedRecords) * 100, 1)
        : 0,
      streamInvocations: invocations,
      recordsPerInvocation: invocations ? round(invokedRecords / invocations, 1) : 0,
      streamPollIntervalMs: POLL_INTERVAL_MS,
      dynamoLocalStartupMs: dynamo.startupMs,
      notes: [
        `Latency is bounded below by the stream poll: the local poller (infra/local/streams.ts) calls DynamoDB Local's GetRecords every ${POLL_INTERVAL_MS} ms when idle (50 ms while records are pending), up to 100 records per invocation; Lambda's event source mapping polls a shard about 4×/s, so the shape is similar but the numbers are not AWS's.`,
        'Latency per event = its customer create returned (performance.now) → the counting target ran; the bus invokes targets after its PutEvents response (setImmediate).',
        `Events per create from the stream mapping: ${EVENTS_PER_CREATE.join(' + ')}; a warm-up create ran through the whole path first and is excluded.`,
        'putEventsCalls counts PutEvents HTTP requests received by the local bus server (SDK retries included). A "change" here is one customer create, which writes several items (streamRecords / changes per create) and yields 3 events; benchEventPath counts stream records as changes.',
        writesDone - started > endToEndMs / 2
          ? `Write concurrency ${concurrency}: the writes through DynamoDB Local (writePhaseMs) take most of endToEndMs, so eventsPerSecond is bounded by the writer (DynamoDB Local), not by the poller or the publisher.`
          : `Write concurrency ${concurrency}: the stream → bus tail after the last write (drainAfterLastWriteMs) is a large part of endToEndMs.`,
      ],
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Stopped by the parent: exit through the 'exit' hooks (DynamoDB Local's kills the Java process).
  process.once('SIGTERM', () => process.exit(143));
  const { values } = parseArgs({ options: { changes: { type: 'string' }, concurrency: { type: 'string' } } });
  const result = await runLocalStreamToBus({
    changes: values.changes ? Number(values.changes) : undefined,
    concurrency: values.concurrency ? Number(values.concurrency) : undefined,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
