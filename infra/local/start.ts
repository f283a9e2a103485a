/**
 * `npm start`: the local cloud in one process.
 * 1. dev secrets (JWT key pair) from `.relay/dev-secrets.json`, generated once;
 * 2. DynamoDB Local persisted in `.relay/dynamodb/` (port 8000 or the next free one);
 * 3. the function environment (set BEFORE any function or domain module is imported);
 * 4. the table from `shared/db/table.ts`, and demo data when the table is empty;
 * 5. the event backbone: local Step Functions (`infra/workflows/*.asl.json`), the local bus with
 *    the rules of `events/rules.ts`, local SES, and — AFTER seeding, at LATEST, so the demo data
 *    does not flood webhooks — the stream poller running `functions/streams/publish-domain-events.ts`;
 * 6. the local API Gateway on PORT (default 3000), with `/_local/events`.
 * SIGINT/SIGTERM stop everything in reverse order, then exit 0. A second run reuses the data.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultRelayDir, loadDevSecrets, repoRoot } from '#infra/local/dev-secrets';
import {
  type DynamoLocal,
  ensureTable,
  firstFreePort,
  isPortFree,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localDynamoClient,
  startDynamoLocal,
} from '#infra/local/dynamodb';
import { tableNameFor } from '#shared/db/table';

const STAGE = 'local';
const DEFAULT_PORT = 3000;
const DEFAULT_DYNAMODB_PORT = 8000;
const DEFAULT_BUS_PORT = 4010;
const DEFAULT_SFN_PORT = 8083;
const DEFAULT_SES_PORT = 8005;
const BUS_NAME = `relay-${STAGE}`;
const STREAM_HANDLER = 'functions/streams/publish-domain-events.ts';
const WEBHOOK_WORKFLOW = 'webhook-delivery';

const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const fail = (message: string): never => {
  process.stderr.write(`\nrelay: ${message}\n`);
  process.exit(1);
};

const parsePort = (): number => {
  const raw = process.env.PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    fail(`PORT must be a port number (1–65535), got "${raw}".`);
  return port;
};

const table = (rows: ReadonlyArray<readonly [string, string]>): string => {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
};

const main = async (): Promise<void> => {
  const startedAt = performance.now();
  const port = parsePort();
  const host = process.env.HOST ?? '127.0.0.1';
  if (!(await isPortFree(port))) {
    fail(
      `port ${port} is already in use. Stop whatever is using it, or pick another port: PORT=${port + 1} npm start`,
    );
  }

  const relayDir = defaultRelayDir();
  const secrets = await loadDevSecrets(relayDir);
  const dbPath = join(relayDir, 'dynamodb');
  let dynamo: DynamoLocal | undefined;
  let api: { close(): Promise<void> } | undefined;
  /** Stopped in reverse order before DynamoDB Local. */
  const running: Array<() => Promise<void>> = [];
  let shuttingDown = false;

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) {
      process.stderr.write(`relay: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    shuttingDown = true;
    say(`\nrelay: ${signal} received, shutting down…`);
    await api?.close();
    for (const stop of running.reverse()) await stop().catch(() => undefined);
    await dynamo?.stop();
    say('relay: stopped. Data kept in .relay/dynamodb');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));

  dynamo = await startDynamoLocal({ port: await firstFreePort(DEFAULT_DYNAMODB_PORT), dbPath });

  // The function environment, set before any handler, service or config module is imported.
  const tableName = tableNameFor(STAGE);
  Object.assign(process.env, {
    STAGE,
    TABLE_NAME: tableName,
    // The stream publisher's audit step keeps entries as long as dev does (infra/config/stages.ts).
    AUDIT_RETENTION_DAYS: '90',
    // One process serves the API and the dispatcher: a new subscription works at once.
    WEBHOOK_SUBSCRIPTION_CACHE_SECONDS: '0',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    POWERTOOLS_SERVICE_NAME: 'relay',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;

  const client = localDynamoClient(dynamo.endpoint);
  const { created } = await ensureTable(client, tableName);
  client.destroy();

  // The event backbone's engines; their endpoints join the function environment before any
  // handler is imported (SDK clients read AWS_ENDPOINT_URL_* when they are created).
  const { startLocalStepFunctions } = await import('#infra/local/stepfunctions');
  const { createTargetInvoker, startLocalEventBridge } = await import('#infra/local/eventbridge');
  const { startLocalSes } = await import('#infra/local/ses');
  const { startLocalKms } = await import('#infra/local/kms');
  const { rules } = await import('#events/rules');
  const { stageConfig } = await import('#infra/config/stages');
  const { deployedTargetRetry, LOCAL_RETRY_STAGE } = await import('#infra/local/retry-policy');
  const stepFunctions = await startLocalStepFunctions({ port: await firstFreePort(DEFAULT_SFN_PORT) });
  running.push(() => stepFunctions.close());
  const bus = await startLocalEventBridge({
    port: await firstFreePort(DEFAULT_BUS_PORT),
    busName: BUS_NAME,
    rules,
    // The deployed targets' retries (events.targetRetry / consumerRetry of the stage config).
    retryPolicy: deployedTargetRetry(stageConfig(LOCAL_RETRY_STAGE)),
    invoke: createTargetInvoker({
      startExecution: stepFunctions.startExecution,
      stateMachineArn: stepFunctions.stateMachineArn,
    }),
  });
  running.push(() => bus.close());
  const ses = await startLocalSes({ port: await firstFreePort(DEFAULT_SES_PORT) });
  running.push(() => ses.stop());
  // Seals webhook signing secrets; its key lives in .relay/local-kms.json beside the table data.
  const kms = await startLocalKms({ stateDir: relayDir });
  running.push(() => kms.close());
  // The cursor key ring (Secrets Manager stand-in), generated once into .relay/local-secrets-manager.json.
  const { startLocalCursorKeys } = await import('#infra/local/secrets-manager');
  const cursorKeys = await startLocalCursorKeys(STAGE, relayDir);
  running.push(() => cursorKeys.secretsManager.close());
  Object.assign(process.env, {
    EVENT_BUS_NAME: BUS_NAME,
    AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
    AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    WEBHOOK_SECRET_KEY_ID: kms.keyArn,
    WEBHOOK_STATE_MACHINE_ARN: stepFunctions.stateMachineArn(WEBHOOK_WORKFLOW),
    ...cursorKeys.env,
  });

  // Every function of the app runs as CDK deploys it to dev: its own environment (references
  // resolved to the local table, bus, state machines and keys), timeout and memory.
  const { localFunctions } = await import('#infra/local/functions');
  const { useLocalFunctions } = await import('#infra/local/lambda');
  const { localStageConfig, LOCAL_STAGE } = await import('#infra/local/stage');
  const functions = localFunctions({
    stage: localStageConfig(),
    rules,
    refs: {
      tableName,
      eventBusName: BUS_NAME,
      cursorKeysSecretArn: cursorKeys.env.CURSOR_KEYS_SECRET_ID,
      webhookSecretKeyArn: kms.keyArn,
      stateMachineArn: stepFunctions.stateMachineArn,
    },
    overrides: {
      STAGE: LOCAL_STAGE,
      // One process serves the API and the dispatcher: a new subscription works at once.
      WEBHOOK_SUBSCRIPTION_CACHE_SECONDS: '0',
    },
  });
  useLocalFunctions(functions);

  const { runtimeFile, seedIfEmpty } = await import('#infra/local/seed');
  const seeded = await seedIfEmpty({ log: (line) => say(`relay: ${line}`) });

  // After seeding, from LATEST: the demo data is not published (no webhook flood).
  // As deployed: the mapping's filter criteria, batch size and retries (infra/config/stream-source.ts).
  const { startStreamPoller } = await import('#infra/local/streams');
  const { streamPublisherSource } = await import('#infra/config/stream-source');
  const streams = await startStreamPoller({
    endpoint: dynamo.endpoint,
    tableName,
    handler: STREAM_HANDLER,
    startingPosition: 'LATEST',
    batchSize: streamPublisherSource.batchSize,
    maxRetries: streamPublisherSource.retryAttempts,
    filterCriteria: streamPublisherSource.filterCriteria,
  });
  running.push(() => streams.stop());

  const { LOCAL_EVENTS_PATH, startLocalApi } = await import('#infra/local/http');
  const { localCorsOf } = await import('#infra/local/cors');
  const cors = localCorsOf(localStageConfig().api.cors);
  try {
    api = await startLocalApi({
      port,
      host,
      keys: secrets.keys,
      logRequests: true,
      // CORS as the dev stage's HTTP API answers it (infra/config/stages.ts).
      cors,
      localCloud: { bus, stepFunctions, streams, mailViewerUrl: ses.viewerUrl },
    });
  } catch (error) {
    for (const stop of running.reverse()) await stop().catch(() => undefined);
    await dynamo.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      fail(`port ${port} is already in use. Pick another port: PORT=${port + 1} npm start`);
    }
    throw error;
  }

  // Lets `npm run seed` reuse this DynamoDB Local instead of opening the same files twice.
  const stateFile = runtimeFile(relayDir);
  writeFileSync(
    stateFile,
    `${JSON.stringify(
      {
        pid: process.pid,
        dynamodbEndpoint: dynamo.endpoint,
        tableName,
        apiUrl: `http://${host}:${port}`,
        eventBridgeEndpoint: bus.endpoint,
        stepFunctionsEndpoint: stepFunctions.endpoint,
        sesEndpoint: ses.endpoint,
      },
      null,
      2,
    )}\n`,
  );
  process.on('exit', () => rmSync(stateFile, { force: true }));

  const base = `http://${host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
  const rel = (path: string): string => relative(repoRoot, path) || path;
  const data = seeded.seeded
    ? `seeded demo data (${seeded.summary})`
    : created
      ? 'new empty table'
      : 'existing data reused';
  const preferenceLink = await demoPreferenceLink(base);
  say();
  say(`Relay local cloud is up (stage ${STAGE}, ${Math.round(performance.now() - startedAt)} ms)`);
  say();
  say(
    table([
      ['API', base],
      ['API docs', `${base}/docs`],
      ['OpenAPI', `${base}/openapi.json`],
      ['Health', `${base}/health`],
      ['DynamoDB Local', `${dynamo.endpoint}  (table ${tableName}; ${data})`],
      ['Table stream', `polled every 200 ms from LATEST → ${STREAM_HANDLER}`],
      [
        'EventBridge bus',
        `${bus.endpoint}  (bus ${BUS_NAME}; rules: ${rules.map((r) => r.name).join(', ')})`,
      ],
      [
        'Step Functions',
        `${stepFunctions.endpoint}  (${stepFunctions.workflows().join(', ') || 'no workflows'} from infra/workflows)`,
      ],
      ['SES v2', ses.endpoint],
      ['Mail viewer', ses.viewerUrl],
      ['Events page', `${base}${LOCAL_EVENTS_PATH}  (bus events, deliveries, executions, DLQ; ?format=json)`],
      ['CORS origins', cors.allowOrigins.join(', ')],
      [
        'Functions',
        `${functions.length}, each with its dev timeout, memory and environment (${functions
          .map((fn) => `${fn.name.replace(/^relay-local-/, '')} ${fn.timeoutSeconds}s`)
          .join(', ')})`,
      ],
      ['Data dir', rel(dbPath)],
      ['Dev secrets', rel(secrets.file ?? relayDir)],
      [
        'Cursor keys',
        `${rel(join(relayDir, 'local-secrets-manager.json'))}  (Secrets Manager stand-in ${cursorKeys.secretsManager.endpoint})`,
      ],
      ...(preferenceLink
        ? [
            ['Preference page', `${preferenceLink}  (a demo customer's email link)`] as [string, string],
            [
              'One-click',
              `curl -d List-Unsubscribe=One-Click '${preferenceLink}'   # RFC 8058, as a mail client posts it`,
            ] as [string, string],
          ]
        : []),
      ['Get a token', 'TOKEN=$(npm run -s token -- --role sales)   # admin|sales|support|marketing|analyst'],
      ['Call the API', `curl -H "authorization: Bearer $TOKEN" ${base}/customers`],
      ['Stop', 'Ctrl-C'],
    ]),
  );
  say();
};

/** The unsubscribe link a marketing email would carry for the newest customer's first type. */
const demoPreferenceLink = async (base: string): Promise<string | undefined> => {
  const { consentDeps } = await import('#shared/deps');
  const { unsubscribeToken } = await import('#shared/domain/consent/service');
  const deps = consentDeps();
  const [customer] = (await deps.customers.list({ limit: 1 })).items;
  const [type] = (await deps.consent.subscriptionTypes()).types.filter((t) => !t.archived);
  if (!customer || !type) return undefined;
  return `${base}/unsubscribe?token=${encodeURIComponent(await unsubscribeToken(deps, customer.id, type.id))}`;
};

main().catch((error: unknown) => {
  process.stderr.write(
    `\nrelay: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
