/**
 * Event path benchmark: DynamoDB stream records → domain events → `PutEvents`, through the real
 * mapping (`shared/events/from-stream.ts`), the real publisher and a REAL EventBridgeClient
 * (serialisation, signing, retry middleware) whose HTTP is answered in memory
 * (`test/unit/support/fake-eventbridge.ts`), so the numbers are the code's, not the network's.
 *
 * Measures
 *  (a) PutEvents calls per 100 changes (one Lambda batch of 100 records; the bound is 10);
 *  (b) events per second for 1,000 synthetic stream records, in Lambda batches of 100, end to end
 *      (map + validate + publish), and for the mapping alone;
 *  (c) the same 1,000 records through random throttling, 5xx and partial failures, redelivering
 *      what the handler reports like Lambda does: HTTP calls made, nothing lost, and how many
 *      duplicates reached the bus (re-published records after a failure; consumers drop them).
 *
 * Run alone with `npx tsx bench/events.ts [--records N]`, or call `benchEventPath()`.
 *
 * `benchLocalStreamToBus()` measures the LOCAL path end to end instead (DynamoDB Local → stream
 * poller → the real stream function → the local bus → a counting rule target): events/s, write →
 * delivery latency and PutEvents calls seen by the bus; see `bench/lib/events-local.ts`, which runs
 * in a child process (`npx tsx bench/events.ts --local [--changes N]` runs it alone).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DynamoDBRecord } from 'aws-lambda';
import { eventsFromRecord } from '#shared/events/from-stream';
import { publishStreamBatch } from '#shared/events/stream-batch';
import { FakeEventBridge } from '#test/unit/support/fake-eventbridge';
import { syntheticStreamRecords } from '#test/unit/support/stream-records';
import type { LocalStreamBenchResult } from './lib/events-local.ts';

export type { LocalStreamBenchResult };

const BUS = 'relay-bench';
const LAMBDA_BATCH = 100;

export interface EventPathBenchOptions {
  /** Records for the throughput run (default 1,000). */
  records?: number;
  /** Timed repetitions of the throughput run; the median is reported (default 5). */
  repetitions?: number;
}

export interface EventPathBenchResult {
  changes: number;
  putEventsCallsPer100Changes: number;
  withinLimit: boolean;
  throughput: {
    records: number;
    events: number;
    lambdaBatchSize: number;
    repetitions: number;
    medianMs: number;
    eventsPerSecond: number;
    mappingOnlyEventsPerSecond: number;
    putEventsCalls: number;
  };
  faults: {
    events: number;
    httpCalls: number;
    responses: { ok: number; throttle: number; serverError: number; partial: number };
    redeliveredBatches: number;
    /** Distinct events the bus accepted; must equal `events` (nothing lost). */
    uniqueEventsAccepted: number;
    /** Re-published by a redelivered batch (records after the first failed one): dropped by consumers' dedupe. */
    duplicatesAtBus: number;
    nothingLost: boolean;
  };
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const batchesOf = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Publishes records the way Lambda feeds a shard: batch by batch, redelivering from the first failure. */
const runShard = async (bus: FakeEventBridge, records: DynamoDBRecord[]): Promise<number> => {
  const client = bus.client({ maxAttempts: 4 });
  let redelivered = 0;
  for (const batch of batchesOf(records, LAMBDA_BATCH)) {
    let pending = batch;
    while (pending.length > 0) {
      const { batchItemFailures } = await publishStreamBatch(pending, {
        client,
        busName: BUS,
        publish: { baseDelayMs: 1 },
      });
      if (batchItemFailures.length > 0) redelivered++;
      const first = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      pending = pending.filter((record) => first.has(record.dynamodb?.SequenceNumber ?? ''));
    }
  }
  return redelivered;
};

export const benchEventPath = async (options: EventPathBenchOptions = {}): Promise<EventPathBenchResult> => {
  const recordCount = options.records ?? 1_000;
  const repetitions = options.repetitions ?? 5;

  // (a) PutEvents calls per 100 changes
  const callsBus = new FakeEventBridge();
  await runShard(callsBus, syntheticStreamRecords(100, 900));
  const callsPer100 = callsBus.httpCalls;

  // (b) throughput, after a warm-up run
  const records = syntheticStreamRecords(recordCount, 901);
  const events = records.flatMap((record) => eventsFromRecord(record)).length;
  await runShard(new FakeEventBridge(), syntheticStreamRecords(200, 902));
  const samples: number[] = [];
  let putEventsCalls = 0;
  for (let i = 0; i < repetitions; i++) {
    const bus = new FakeEventBridge();
    const started = performance.now();
    await runShard(bus, records);
    samples.push(performance.now() - started);
    putEventsCalls = bus.httpCalls;
  }
  const mappingStarted = performance.now();
  for (let i = 0; i < repetitions; i++) for (const record of records) eventsFromRecord(record);
  const mappingMs = (performance.now() - mappingStarted) / repetitions;
  const medianMs = median(samples);

  // (c) the same records through faults
  const faultBus = new FakeEventBridge({
    random: { seed: 7, throttle: 0.15, serverError: 0.05, partial: 0.25, entryFailure: 0.2 },
  });
  const redeliveredBatches = await runShard(faultBus, records);
  const ids = faultBus.accepted.map((entry) => (JSON.parse(entry.Detail) as { eventId: string }).eventId);

  return {
    changes: 100,
    putEventsCallsPer100Changes: callsPer100,
    withinLimit: callsPer100 <= 10,
    throughput: {
      records: recordCount,
      events,
      lambdaBatchSize: LAMBDA_BATCH,
      repetitions,
      medianMs: round(medianMs),
      eventsPerSecond: Math.round((events / medianMs) * 1000),
      mappingOnlyEventsPerSecond: Math.round((events / mappingMs) * 1000),
      putEventsCalls,
    },
    faults: {
      events,
      httpCalls: faultBus.httpCalls,
      responses: { ...faultBus.responses },
      redeliveredBatches,
      uniqueEventsAccepted: new Set(ids).size,
      duplicatesAtBus: ids.length - new Set(ids).size,
      nothingLost: new Set(ids).size === events,
    },
  };
};

export interface LocalStreamBenchOptions {
  /** Customer creates to write (default 300; 3 events each). */
  changes?: number;
  /** Parallel writers (default 4). */
  concurrency?: number;
  /** Kill the child after this long (default 90 s). */
  timeoutMs?: number;
}

/**
 * The local stream → bus path end to end (`bench/lib/events-local.ts`), in a fresh `node` process:
 * the function code keeps its environment and SDK clients in module singletons, which the rest of
 * the bench has already created against another endpoint. The child stops DynamoDB Local, the bus
 * and the poller itself; on timeout it gets SIGTERM (its exit hooks kill DynamoDB Local), then SIGKILL.
 */
export const benchLocalStreamToBus = (
  options: LocalStreamBenchOptions = {},
): Promise<LocalStreamBenchResult> => {
  const script = fileURLToPath(new URL('./lib/events-local.ts', import.meta.url));
  const cwd = fileURLToPath(new URL('../', import.meta.url));
  const args = ['--import', 'tsx', script, '--changes', String(options.changes ?? 300)];
  if (options.concurrency) args.push('--concurrency', String(options.concurrency));
  const timeoutMs = options.timeoutMs ?? 90_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5_000).unref();
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as LocalStreamBenchResult);
        return;
      }
      reject(
        new Error(
          `local stream → bus bench ${timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`}: ${stdout.slice(-500)}`,
        ),
      );
    });
  });
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      records: { type: 'string' },
      repetitions: { type: 'string' },
      local: { type: 'boolean', default: false },
      changes: { type: 'string' },
    },
  });
  const result = values.local
    ? await benchLocalStreamToBus({ changes: values.changes ? Number(values.changes) : undefined })
    : await benchEventPath({
        records: values.records ? Number(values.records) : undefined,
        repetitions: values.repetitions ? Number(values.repetitions) : undefined,
      });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
