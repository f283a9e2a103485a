/**
 * Integration-test access to the local cloud.
 *
 *   const { tableName, client } = await useTestTable();   // in beforeAll (or at module top)
 *   const api = await startTestApi();                      // after useTestTable
 *   const res = await fetch(`${api.url}/customers`, { headers: { authorization: `Bearer ${await api.token('sales')}` } });
 *   await api.close();
 *
 * Every test file gets its own table on the run's one DynamoDB Local (started by
 * `test/integration/global-setup.ts`), so files can run in parallel without seeing each other's data.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { type RuleDef, rules } from '#events/rules';
import { stageConfig } from '#infra/config/stages';
import { type FilterCriteria, streamPublisherSource } from '#infra/config/stream-source';
import type { LocalCors } from '#infra/local/cors';
import { type DevKeys, generateDevSecrets } from '#infra/local/dev-secrets';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient } from '#infra/local/dynamodb';
import {
  type BusEvent,
  createTargetInvoker,
  type LocalEventBridge,
  startLocalEventBridge,
} from '#infra/local/eventbridge';
import { type LocalCloudParts, localEventsSnapshot } from '#infra/local/events-page';
import { type AreaHandler, type LocalApiLogger, startLocalApi } from '#infra/local/http';
import { type LocalKms, startLocalKms } from '#infra/local/kms';
import { deployedTargetRetry, LOCAL_RETRY_STAGE } from '#infra/local/retry-policy';
import { startLocalCursorKeys } from '#infra/local/secrets-manager';
import { type LocalSes, startLocalSes } from '#infra/local/ses';
import {
  type LocalStepFunctions,
  type LocalStepFunctionsOptions,
  startLocalStepFunctions,
} from '#infra/local/stepfunctions';
import { type StreamHandler, type StreamPoller, startStreamPoller } from '#infra/local/streams';
import { mintToken } from '#infra/local/tokens';
import type { Role } from '#shared/auth/roles';
import { documentClientOf } from '#shared/aws/clients';
import { resetConfig } from '#shared/config';
import { resetDeps } from '#shared/deps';
import { type Area, areas } from '#shared/routes';
import { contractCheckedHandler } from './response-contract.ts';

export const TEST_STAGE = 'test';

export interface TestTable {
  tableName: string;
  client: DynamoDBClient;
  /** Document client on the same connection (marshalling as in `shared/aws/clients.ts`). */
  doc: DynamoDBDocumentClient;
  endpoint: string;
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

/**
 * Points this test file's process at the run's DynamoDB Local (endpoint, fake credentials, region,
 * STAGE=test, the cursor key secret, TABLE_NAME = a fresh table), creates the table from the one table
 * definition and resets the cached config and service wiring so functions read the new environment.
 */
let kms: Promise<LocalKms> | undefined;

/** The file's local KMS stand-in (one per test process; it seals and opens webhook secrets). */
export const testKms = (): Promise<LocalKms> => {
  kms ??= startLocalKms();
  return kms;
};

let cursorKeys: ReturnType<typeof startLocalCursorKeys> | undefined;

/**
 * The file's local Secrets Manager stand-in holding a generated cursor key ring (one per test
 * process), and the function environment that points at it.
 */
export const testCursorKeys = (): ReturnType<typeof startLocalCursorKeys> => {
  cursorKeys ??= startLocalCursorKeys(TEST_STAGE);
  return cursorKeys;
};

export const useTestTable = async (name?: string): Promise<TestTable> => {
  const endpoint = inject('dynamoEndpoint');
  const { endpoint: kmsEndpoint, keyArn } = await testKms();
  const { env: cursorKeysEnv } = await testCursorKeys();
  const tableName = `relay-test-${name ? `${slug(name)}-` : ''}${randomUUID().slice(0, 8)}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_KMS: kmsEndpoint,
    WEBHOOK_SECRET_KEY_ID: keyArn,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    STAGE: TEST_STAGE,
    ...cursorKeysEnv,
    TABLE_NAME: tableName,
    // The stream publisher's audit step (docs/adr/0009-audit-log.md).
    AUDIT_RETENTION_DAYS: '90',
    // One process serves the API and the dispatcher: a new subscription works at once.
    WEBHOOK_SUBSCRIPTION_CACHE_SECONDS: '0',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const client = localDynamoClient(endpoint);
  await ensureTable(client, tableName);
  resetConfig();
  resetDeps();
  return { tableName, client, doc: documentClientOf(client), endpoint };
};

export interface TestApi {
  url: string;
  /** A dev access token for `role` (optionally for a given subject), accepted by this API. */
  token(role: Role, sub?: string): Promise<string>;
  /** The keys the API verifies with (mint special tokens with `mintToken`). */
  keys: DevKeys;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** Replace an area's handler (e.g. an echo handler to inspect the rendered event). */
  handlers?: Partial<Record<Area, AreaHandler>>;
  /** Capture the server's log lines (default: errors go to the console). */
  logger?: LocalApiLogger;
  timeoutMs?: number;
  /** Serve `/_local/events` from these parts of the local cloud. */
  localCloud?: LocalCloudParts;
  /** Apply this CORS configuration as the HTTP API does (e.g. `localCorsOf(stageConfig('dev').api.cors)`). */
  cors?: LocalCors;
}

/** Starts the local API Gateway on a free port with throwaway signing keys. Call after `useTestTable`. */
export const startTestApi = async (options: TestApiOptions = {}): Promise<TestApi> => {
  const { keys } = await generateDevSecrets();
  // Every area's responses are checked against their routes' documented contracts.
  const repoRoot = new URL('../../../', import.meta.url).href;
  const handlers = Object.fromEntries(
    areas.map((area) => [area, options.handlers?.[area] ?? contractCheckedHandler(area, repoRoot)]),
  ) as Record<Area, AreaHandler>;
  const api = await startLocalApi({ port: 0, keys, ...options, handlers });
  return {
    url: api.url,
    keys,
    token: (role, sub) => mintToken({ role, sub }, keys),
    close: () => api.close(),
  };
};

// ── the whole local cloud (bus, streams, Step Functions, SES) ─────────────────────────────────

export const TEST_BUS_NAME = 'relay-test';
/** The stream handler the local cloud runs (the outbox publisher). */
export const STREAM_HANDLER = streamPublisherSource.entry;

export interface TestCloudOptions {
  /** Rules of the bus (default: `events/rules.ts`); `extraRules` are added to them. */
  rules?: readonly RuleDef[];
  extraRules?: readonly RuleDef[];
  /** Replace the target of a rule (by rule name) with a function; e.g. a capturing test target. */
  targets?: Record<string, (event: BusEvent) => unknown>;
  /** The stream handler (default `functions/streams/publish-domain-events.ts`); `false` starts no poller. */
  streamHandler?: string | StreamHandler | false;
  /**
   * The stream mapping's filter criteria: default the publisher's as deployed for the publisher,
   * none for another handler; `false` delivers every record.
   */
  streamFilterCriteria?: FilterCriteria | false;
  /** Step Functions options (default: wait times × 0.001). */
  stepFunctions?: Omit<LocalStepFunctionsOptions, 'port' | 'host'>;
  /**
   * Bus retries: by default each target's attempts as deployed (`deployedTargetRetry`, dev stage:
   * 3 for a Lambda consumer), backoff from 20 ms capped at 200 ms; `attempts` sets one count for all.
   */
  busRetry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Start the local API Gateway (default true). */
  api?: boolean | TestApiOptions;
  /** Start local SES (default false). */
  ses?: boolean;
  /** Table name for `useTestTable` (a fresh table per call). */
  tableName?: string;
}

export interface TestCloud {
  table: TestTable;
  bus: LocalEventBridge;
  stepFunctions: LocalStepFunctions;
  streams: StreamPoller | undefined;
  api: TestApi | undefined;
  ses: LocalSes | undefined;
  /** `GET /_local/events?format=json` data without HTTP. */
  snapshot(): ReturnType<typeof localEventsSnapshot>;
  close(): Promise<void>;
}

/**
 * The local cloud for one test file: a fresh table (`useTestTable`), the bus with the rules
 * manifest, local Step Functions (scaled waits), the stream poller at LATEST on the table, the
 * local API (serving `/_local/events`) and optionally SES. Sets the function environment
 * (EVENT_BUS_NAME, AWS_ENDPOINT_URL_EVENTBRIDGE/SFN[/SESV2], WEBHOOK_STATE_MACHINE_ARN) BEFORE any
 * handler is imported. SDK clients are memoized per process, so start one cloud per test file.
 */
export const startTestCloud = async (options: TestCloudOptions = {}): Promise<TestCloud> => {
  const table = await useTestTable(options.tableName);
  const stopList: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const stop of stopList.reverse()) await stop();
    stopList.length = 0;
  };
  try {
    const stepFunctions = await startLocalStepFunctions({ waitTimeScale: 0.001, ...options.stepFunctions });
    stopList.push(() => stepFunctions.close());
    const defaultInvoker = createTargetInvoker({
      startExecution: stepFunctions.startExecution,
      stateMachineArn: stepFunctions.stateMachineArn,
    });
    const targets = options.targets ?? {};
    const bus = await startLocalEventBridge({
      busName: TEST_BUS_NAME,
      rules: [...(options.rules ?? rules), ...(options.extraRules ?? [])],
      retry: { baseDelayMs: 20, maxDelayMs: 200, ...options.busRetry },
      ...(options.busRetry?.attempts === undefined
        ? { retryPolicy: deployedTargetRetry(stageConfig(LOCAL_RETRY_STAGE)) }
        : {}),
      invoke: async (target, event, rule) => {
        const override = targets[rule.name];
        return override ? override(event) : defaultInvoker(target, event, rule);
      },
    });
    stopList.push(() => bus.close());
    Object.assign(process.env, {
      EVENT_BUS_NAME: TEST_BUS_NAME,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
      AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
      WEBHOOK_STATE_MACHINE_ARN: stepFunctions.stateMachineArn('webhook-delivery'),
    });
    let ses: LocalSes | undefined;
    if (options.ses) {
      ses = await startLocalSes();
      const started = ses;
      stopList.push(() => started.stop());
    }
    resetConfig();
    resetDeps();
    let streams: StreamPoller | undefined;
    if (options.streamHandler !== false) {
      const handler = options.streamHandler ?? STREAM_HANDLER;
      const filterCriteria =
        options.streamFilterCriteria ??
        (handler === STREAM_HANDLER ? streamPublisherSource.filterCriteria : undefined);
      // The deployed mapping's batch size and retries (infra/config/stream-source.ts).
      streams = await startStreamPoller({
        endpoint: table.endpoint,
        tableName: table.tableName,
        handler,
        startingPosition: 'LATEST',
        pollIntervalMs: 100,
        batchSize: streamPublisherSource.batchSize,
        maxRetries: streamPublisherSource.retryAttempts,
        ...(filterCriteria ? { filterCriteria } : {}),
      });
      const started = streams;
      stopList.push(() => started.stop());
    }
    const parts = { bus, stepFunctions, streams, ...(ses ? { mailViewerUrl: ses.viewerUrl } : {}) };
    let api: TestApi | undefined;
    if (options.api !== false) {
      api = await startTestApi({
        ...(typeof options.api === 'object' ? options.api : {}),
        localCloud: parts,
      });
      const started = api;
      stopList.push(() => started.close());
    }
    return {
      table,
      bus,
      stepFunctions,
      streams,
      api,
      ses,
      snapshot: () => localEventsSnapshot(parts),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
};
