/**
 * The local DynamoDB Streams → Lambda event source mapping: polls DynamoDB Local's streams API
 * (`DescribeStream` / `GetShardIterator` / `GetRecords` per shard, parents before children) every
 * ~200 ms and invokes a stream handler with real-shaped `DynamoDBStreamEvent` batches.
 *
 * Like the Lambda event source mapping with `ReportBatchItemFailures`:
 * - records of a shard are delivered in order, at most `batchSize` per invocation;
 * - a returned `batchItemFailures` retries the batch from the first failed sequence number; an
 *   empty list is success; an unknown or empty identifier, or a thrown error, retries the whole batch;
 * - after `maxRetries` retries the remaining records of the batch are logged and skipped (what an
 *   on-failure destination would receive; kept in `skipped()`), and the shard moves on.
 *
 * - `filterCriteria` (the mapping's `FilterCriteria`, e.g. `streamPublisherSource.filterCriteria`)
 *   is applied as Lambda event filtering does (`infra/local/stream-filter.ts`): a record matching
 *   no filter is dropped before batching and never delivered (counted in `filteredOut()`).
 *
 * `startingPosition: 'LATEST'` (default) reads only changes made after the poller started — the
 * local cloud starts it after seeding, so the demo data does not flood webhooks; `TRIM_HORIZON`
 * reads everything still in the stream (24 h).
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { FilterCriteria } from '#infra/config/stream-source';
import { LOCAL_CREDENTIALS, localDynamoClient } from '#infra/local/dynamodb';
import {
  describeError,
  functionNameFor,
  invokeHandlerFile,
  LOCAL_AWS_REGION,
  lambdaContext,
  loadHandler,
} from '#infra/local/lambda';
import { compileFilterCriteria } from '#infra/local/stream-filter';

export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: ReturnType<typeof lambdaContext>,
) => unknown;

export interface StreamPollerOptions {
  /** DynamoDB Local endpoint (the streams API is served on the same port). */
  endpoint: string;
  tableName: string;
  /** A repo-relative handler file (`functions/streams/…`) or a function (tests). */
  handler: string | StreamHandler;
  startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** Records per invocation (default 100, the Lambda default for streams). */
  batchSize?: number;
  pollIntervalMs?: number;
  /** Retries of a failing batch before its records are skipped (default 3). */
  maxRetries?: number;
  /** The mapping's filter criteria (default: none, every record is delivered). */
  filterCriteria?: FilterCriteria;
  logger?: { error(message: string): void };
}

export interface StreamBatchLog {
  at: Date;
  shardId: string;
  records: number;
  firstSequenceNumber: string;
  attempt: number;
  outcome: 'succeeded' | 'partial' | 'failed';
  error?: string;
}

export interface SkippedRecords {
  at: Date;
  shardId: string;
  sequenceNumbers: string[];
  error: string;
}

export interface StreamPoller {
  streamArn: string;
  /** Recent invocations, oldest first (last 200). */
  batches(): StreamBatchLog[];
  /** Records given up after `maxRetries` (the on-failure destination). */
  skipped(): SkippedRecords[];
  /** Records dropped by the filter criteria (matched no filter), since start. */
  filteredOut(): number;
  /** Resolves after the next complete poll cycle (handy in tests: "everything written so far was seen"). */
  drained(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

interface ShardState {
  shardId: string;
  parentShardId?: string;
  iterator?: string;
  /** True once the shard is closed and fully read. */
  finished: boolean;
  pending: StreamRecord[];
  attempts: number;
  lastSequenceNumber?: string;
  closed: boolean;
}

/** SDK attribute values → the Lambda event's JSON form (binary as base64). */
const toLambdaValue = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toLambdaValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toLambdaValue(inner)]));
  }
  return value;
};

/**
 * DynamoDB Local drops the type of an EMPTY map in stream images (`"m": {}` instead of
 * `"m": {"M": {}}`; verified with the 2026-05 build; empty lists are fine). DynamoDB never sends
 * an untyped attribute value, so `{}` can only be an empty map: restore it, at any depth.
 */
export const repairAttributeValue = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return { M: {} };
  const typed = value as { M?: Record<string, unknown>; L?: unknown[] };
  if (typed.M && typeof typed.M === 'object') return { ...typed, M: repairImage(typed.M) };
  if (Array.isArray(typed.L)) return { ...typed, L: typed.L.map(repairAttributeValue) };
  return value;
};

const repairImage = (image: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repairAttributeValue(value)]));

export const toLambdaRecord = (record: StreamRecord, streamArn: string): DynamoDBRecord => {
  const data = record.dynamodb ?? {};
  const created = data.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    // DynamoDB Local reports the region `ddblocal`; Lambda sees the function's region.
    awsRegion: LOCAL_AWS_REGION,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      ...(data.Keys ? { Keys: toLambdaValue(repairImage(data.Keys)) } : {}),
      ...(data.NewImage ? { NewImage: toLambdaValue(repairImage(data.NewImage)) } : {}),
      ...(data.OldImage ? { OldImage: toLambdaValue(repairImage(data.OldImage)) } : {}),
      SequenceNumber: data.SequenceNumber,
      SizeBytes: data.SizeBytes,
      StreamViewType: data.StreamViewType,
    } as DynamoDBRecord['dynamodb'],
    eventSourceARN: streamArn,
  };
};

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

export const startStreamPoller = async (options: StreamPollerOptions): Promise<StreamPoller> => {
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const maxRetries = options.maxRetries ?? 3;
  const logger = options.logger ?? { error: (m: string) => console.error(m) };
  // Refused at start, as CreateEventSourceMapping refuses invalid criteria.
  const passesFilters = compileFilterCriteria(options.filterCriteria);
  let filteredOut = 0;
  const functionName =
    typeof options.handler === 'string' ? functionNameFor(options.handler) : 'relay-local-stream-handler';

  const dynamo = localDynamoClient(options.endpoint);
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  dynamo.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream enabled`);
  /** The ARN functions see (`eventSourceARN`), in the local region rather than DynamoDB Local's `ddblocal`. */
  const eventSourceArn = streamArn.replace(
    /^arn:aws:dynamodb:ddblocal:/,
    `arn:aws:dynamodb:${LOCAL_AWS_REGION}:`,
  );

  const client = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: LOCAL_AWS_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
  });

  const shards = new Map<string, ShardState>();
  const batchLog: StreamBatchLog[] = [];
  const skippedLog: SkippedRecords[] = [];
  const cycleListeners = new Set<() => void>();

  const handlerFn = async (): Promise<StreamHandler> =>
    typeof options.handler === 'string'
      ? ((await loadHandler(options.handler)) as StreamHandler)
      : options.handler;

  const listShards = async (): Promise<Shard[]> => {
    const out: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await client.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      out.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return out;
  };

  const iteratorFor = async (
    shardId: string,
    type: 'LATEST' | 'TRIM_HORIZON' | 'AFTER_SEQUENCE_NUMBER',
    sequenceNumber?: string,
  ): Promise<string | undefined> =>
    (
      await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: type,
          ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}),
        }),
      )
    ).ShardIterator;

  /** Registers new shards. At start with LATEST, closed shards are skipped and open ones start at LATEST. */
  const discover = async (initial: boolean): Promise<void> => {
    for (const shard of await listShards()) {
      const shardId = shard.ShardId;
      if (!shardId || shards.has(shardId)) {
        const known = shardId ? shards.get(shardId) : undefined;
        if (known && shard.SequenceNumberRange?.EndingSequenceNumber) known.closed = true;
        continue;
      }
      const closed = Boolean(shard.SequenceNumberRange?.EndingSequenceNumber);
      const state: ShardState = {
        shardId,
        ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
        finished: false,
        pending: [],
        attempts: 0,
        closed,
      };
      if (initial && options.startingPosition !== 'TRIM_HORIZON') {
        if (closed) {
          state.finished = true;
        } else {
          state.iterator = await iteratorFor(shardId, 'LATEST');
        }
      }
      shards.set(shardId, state);
    }
  };

  const invoke = async (shard: ShardState): Promise<void> => {
    const batch = shard.pending.slice(0, batchSize);
    const first = batch[0]?.dynamodb?.SequenceNumber ?? '';
    const event: DynamoDBStreamEvent = {
      Records: batch.map((record) => toLambdaRecord(record, eventSourceArn)),
    };
    shard.attempts += 1;
    let failedFrom = -1;
    let error: string | undefined;
    try {
      // A handler file runs as its app function (environment, timeout) when it is one.
      const response = (
        typeof options.handler === 'string'
          ? await invokeHandlerFile(options.handler, event, { functionName, timeoutMs: 300_000 })
          : await (await handlerFn())(event, lambdaContext(functionName, 300_000))
      ) as DynamoDBBatchResponse | undefined;
      const failures = response?.batchItemFailures ?? [];
      if (failures.length > 0) {
        const positions = failures.map(({ itemIdentifier }) =>
          batch.findIndex((record) => record.dynamodb?.SequenceNumber === itemIdentifier),
        );
        failedFrom = positions.some((position) => position < 0) ? 0 : Math.min(...positions);
        error = `batchItemFailures from ${batch[failedFrom]?.dynamodb?.SequenceNumber ?? 'an unknown record'}`;
      }
    } catch (thrown) {
      failedFrom = 0;
      error = describeError(thrown);
    }
    batchLog.push({
      at: new Date(),
      shardId: shard.shardId,
      records: batch.length,
      firstSequenceNumber: first,
      attempt: shard.attempts,
      outcome: failedFrom < 0 ? 'succeeded' : failedFrom === 0 ? 'failed' : 'partial',
      ...(error ? { error } : {}),
    });
    if (batchLog.length > 200) batchLog.shift();
    if (failedFrom < 0) {
      shard.pending = shard.pending.slice(batch.length);
      shard.attempts = 0;
      return;
    }
    // Everything before the first failure is done; retry from there.
    shard.pending = shard.pending.slice(failedFrom);
    if (shard.attempts > maxRetries) {
      const givenUp = batch.slice(failedFrom);
      skippedLog.push({
        at: new Date(),
        shardId: shard.shardId,
        sequenceNumbers: givenUp.map((record) => record.dynamodb?.SequenceNumber ?? ''),
        error: error ?? 'failed',
      });
      if (skippedLog.length > 200) skippedLog.shift();
      logger.error(
        `[relay-local] stream ${options.tableName}: skipping ${givenUp.length} record(s) after ${maxRetries} retries (${error}); first sequence number ${givenUp[0]?.dynamodb?.SequenceNumber}`,
      );
      shard.pending = shard.pending.slice(givenUp.length);
      shard.attempts = 0;
    }
  };

  const pollShard = async (shard: ShardState): Promise<void> => {
    if (shard.finished) return;
    const parent = shard.parentShardId ? shards.get(shard.parentShardId) : undefined;
    if (parent && !parent.finished) return;
    if (shard.pending.length === 0) {
      if (!shard.iterator) {
        shard.iterator = await iteratorFor(
          shard.shardId,
          shard.lastSequenceNumber ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          shard.lastSequenceNumber,
        );
      }
      try {
        const { Records, NextShardIterator } = await client.send(
          new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }),
        );
        shard.iterator = NextShardIterator;
        const read = Records ?? [];
        const last = read.at(-1)?.dynamodb?.SequenceNumber;
        if (last) shard.lastSequenceNumber = last;
        // Lambda filters before batching: a record matching no filter is never delivered.
        shard.pending = read.filter((record) => passesFilters(toLambdaRecord(record, eventSourceArn)));
        filteredOut += read.length - shard.pending.length;
        if (!NextShardIterator && read.length === 0) {
          shard.finished = true;
          return;
        }
        if (!NextShardIterator) shard.closed = true;
      } catch (error) {
        if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
          shard.iterator = undefined;
          return;
        }
        throw error;
      }
    }
    if (shard.pending.length > 0) await invoke(shard);
    if (shard.pending.length === 0 && shard.closed && !shard.iterator) shard.finished = true;
  };

  /** Shards with their ancestors first, so a parent closing in a cycle lets its child start in the same cycle. */
  const lineageOrder = (): ShardState[] => {
    const depth = (shard: ShardState, seen = 0): number => {
      const parent = shard.parentShardId ? shards.get(shard.parentShardId) : undefined;
      return parent && seen < shards.size ? 1 + depth(parent, seen + 1) : 0;
    };
    return [...shards.values()].sort((a, b) => depth(a) - depth(b));
  };

  await discover(true);

  let stopped = false;
  let cycles = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        await discover(false);
        for (const shard of lineageOrder()) {
          if (stopped) break;
          await pollShard(shard);
        }
      } catch (error) {
        if (!stopped)
          logger.error(`[relay-local] stream poller ${options.tableName}: ${describeError(error)}`);
      }
      cycles += 1;
      for (const listener of [...cycleListeners]) listener();
      const busy = [...shards.values()].some((shard) => shard.pending.length > 0);
      if (!stopped) await delay(busy ? Math.min(pollIntervalMs, 50) : pollIntervalMs);
    }
  })();

  return {
    streamArn: eventSourceArn,
    batches: () => [...batchLog],
    skipped: () => [...skippedLog],
    filteredOut: () => filteredOut,
    drained: (timeoutMs = 5_000) =>
      new Promise((done, fail) => {
        const target = cycles + 2;
        const timer = setTimeout(() => {
          cycleListeners.delete(listener);
          fail(new Error(`stream poller did not complete a cycle within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (): void => {
          const idle = [...shards.values()].every((shard) => shard.pending.length === 0);
          if (cycles >= target && idle) {
            clearTimeout(timer);
            cycleListeners.delete(listener);
            done();
          }
        };
        cycleListeners.add(listener);
      }),
    stop: async () => {
      stopped = true;
      await loop;
      client.destroy();
    },
  };
};
