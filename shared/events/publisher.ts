/**
 * Puts events on a bus with `PutEvents`, never losing one silently.
 *
 * 1. Entries are split, in order, into requests of at most 10 entries and 256 KB (entry size as
 *    AWS computes it: 14 bytes for `Time`, plus the UTF-8 bytes of `Source`, `DetailType`,
 *    `Detail` and each of `Resources`). An entry that alone exceeds 256 KB cannot be sent: its key
 *    is reported failed and logged.
 * 2. Throttling and 5xx of a whole call are retried by the SDK (standard retry mode, see
 *    `shared/aws/eventbridge.ts`); when the SDK gives up, every key of that request fails.
 * 3. A 200 response with `FailedEntryCount > 0` names the failed entries (`Entries[i].ErrorCode`,
 *    index-aligned with the request): only those are sent again, with exponential backoff and full
 *    jitter, a few times; permanent errors (malformed detail, not authorised) are not retried.
 * 4. The keys still failing are returned, so the caller can report them for redelivery.
 */
import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from '#shared/events/from-stream';
import { logger } from '#shared/http/logger';

/** AWS limits of one `PutEvents` request. */
export const MAX_ENTRIES_PER_REQUEST = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;

export interface KeyedEntry {
  /** The caller's handle for this entry (e.g. which stream record it came from). */
  key: string;
  entry: PutEventsRequestEntry;
}

export interface PublishOptions {
  /** Attempts for entries that fail inside a 200 response (first try included). Default 4. */
  entryAttempts?: number;
  /** Backoff base: attempt n waits a random time in [0, base · 2^n) ms. Default 50. */
  baseDelayMs?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

export interface PublishResult {
  /** Keys with at least one entry that was not accepted by the bus. */
  failedKeys: Set<string>;
}

/** Entry error codes that a retry cannot fix. */
const permanentErrors: ReadonlySet<string> = new Set([
  'MalformedDetail',
  'InvalidArgument',
  'ValidationException',
  'AccessDeniedException',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
]);

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Size of one entry as EventBridge counts it against the 256 KB request limit. */
export const entrySize = (entry: PutEventsRequestEntry): number => {
  let size = entry.Time ? 14 : 0;
  if (entry.Source) size += Buffer.byteLength(entry.Source, 'utf8');
  if (entry.DetailType) size += Buffer.byteLength(entry.DetailType, 'utf8');
  if (entry.Detail) size += Buffer.byteLength(entry.Detail, 'utf8');
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource, 'utf8');
  return size;
};

/**
 * Splits entries, keeping their order, into requests of ≤ 10 entries and ≤ 256 KB. Entries too
 * large for any request are returned apart.
 */
export const chunkEntries = <T extends { entry: PutEventsRequestEntry }>(
  entries: readonly T[],
): { chunks: T[][]; oversized: T[] } => {
  const chunks: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of entries) {
    const size = entrySize(item.entry);
    if (size > MAX_REQUEST_BYTES) {
      oversized.push(item);
      continue;
    }
    if (current.length === MAX_ENTRIES_PER_REQUEST || bytes + size > MAX_REQUEST_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return { chunks, oversized };
};

/** The `PutEvents` entry of a domain event. */
export const toPutEventsEntry = (busName: string, event: DomainEvent): PutEventsRequestEntry => ({
  EventBusName: busName,
  Source: event.contract.source,
  DetailType: event.contract.detailType,
  Detail: JSON.stringify(event.detail),
});

const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'string' ? error : 'UnknownError';

/** Sends one request's entries; retries only the entries that failed; returns the failed keys. */
const sendChunk = async (
  client: EventBridgeClient,
  busName: string,
  chunk: KeyedEntry[],
  options: Required<Omit<PublishOptions, 'concurrency'>>,
): Promise<string[]> => {
  const givenUp: string[] = [];
  let pending = chunk;
  for (let attempt = 1; ; attempt++) {
    let results: PutEventsResultEntry[] | undefined;
    let failedCount: number;
    try {
      const out = await client.send(
        new PutEventsCommand({ Entries: pending.map(({ entry }) => ({ EventBusName: busName, ...entry })) }),
      );
      results = out.Entries;
      failedCount = out.FailedEntryCount ?? 0;
    } catch (error) {
      // The SDK already retried throttling and 5xx: the whole request failed.
      logger.error('PutEvents failed after SDK retries', {
        error: errorName(error),
        attempt,
        keys: pending.map((p) => p.key),
      });
      return [...givenUp, ...pending.map((p) => p.key)];
    }
    if (failedCount === 0) return givenUp;

    const retryable: KeyedEntry[] = [];
    const codes: Record<string, number> = {};
    pending.forEach((item, i) => {
      const result = results?.[i];
      if (result?.EventId && !result.ErrorCode) return;
      // No result for an entry of a failed batch counts as failed: a duplicate is dropped
      // downstream, a lost event is not recoverable.
      const code = result?.ErrorCode ?? 'MissingResult';
      codes[code] = (codes[code] ?? 0) + 1;
      if (permanentErrors.has(code)) {
        logger.error('PutEvents rejected an entry permanently', { key: item.key, code });
        givenUp.push(item.key);
      } else {
        retryable.push(item);
      }
    });
    if (retryable.length === 0) return givenUp;
    if (attempt >= options.entryAttempts) {
      logger.error('PutEvents entries still failing after retries', {
        codes,
        attempts: attempt,
        keys: retryable.map((p) => p.key),
      });
      return [...givenUp, ...retryable.map((p) => p.key)];
    }
    logger.warn('Retrying failed PutEvents entries', { codes, failed: retryable.length, attempt });
    await options.sleep(Math.random() * options.baseDelayMs * 2 ** attempt);
    pending = retryable;
  }
};

/**
 * Publishes keyed entries in requests of ≤ 10 entries and ≤ 256 KB, retrying failed entries
 * individually; returns the keys of entries that were not accepted.
 */
export const publishEvents = async (
  client: EventBridgeClient,
  busName: string,
  events: ReadonlyArray<KeyedEntry>,
  options: PublishOptions = {},
): Promise<PublishResult> => {
  const settings = {
    entryAttempts: options.entryAttempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 50,
    sleep: options.sleep ?? realSleep,
  };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const failedKeys = new Set<string>();
  const { chunks, oversized } = chunkEntries(events);
  for (const item of oversized) {
    logger.error('Event exceeds the 256 KB PutEvents limit and cannot be published', {
      key: item.key,
      detailType: item.entry.DetailType,
      bytes: entrySize(item.entry),
    });
    failedKeys.add(item.key);
  }
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as KeyedEntry[];
      for (const key of await sendChunk(client, busName, chunk, settings)) failedKeys.add(key);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  return { failedKeys };
};
