/**
 * API latency and DynamoDB cost on the local cloud: DynamoDB Local (in memory) + the local API
 * Gateway (`infra/local/http.ts`, which runs the area functions in this process), a dev token for
 * `admin`, then sequential requests over HTTP.
 *
 * - Latency: after a warm-up, `requests` sequential calls per operation; p50/p99 in ms, measured by
 *   the client around `fetch` (request + response body), with ConsumedCapacity NOT requested.
 * - Cost: a separate pass of `capacitySamples` calls per operation with `ReturnConsumedCapacity`
 *   added by the meter (`dynamo-meter.ts`); DynamoDB calls, RCU and WCU per request.
 *
 * The environment must be set before the function code is imported (config and clients read it),
 * so every import of function, shared or local-HTTP code below is dynamic.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoMeter, Reading } from './dynamo-meter.ts';
import { round, type Summary, summarize } from './stats.ts';

export interface ApiBenchOptions {
  requests: number;
  warmup: number;
  capacitySamples: number;
  /** Timeline entries on the customer the 360 view reads. */
  viewEntries: number;
  /** Seconds of autocannon load per operation (0 skips the load pass). */
  loadSeconds: number;
  /** Concurrent connections of the load pass. */
  loadConnections: number;
  log: (line: string) => void;
}

/** A raw DynamoDB call on the same DynamoDB Local with the functions' client, for the overhead ratio. */
export interface BaselineResult {
  op: string;
  ms: Summary;
}

/** One autocannon pass (another process) against the local API. */
export interface LoadResult {
  op: string;
  method: string;
  path: string;
  seconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  /** DynamoDB calls the functions made per request during the pass. */
  dynamoCallsPerRequest: number;
}

export interface LatencyResult {
  op: string;
  method: string;
  path: string;
  ms: Summary;
  /** DynamoDB calls per request seen during the latency run (median). */
  dynamoCallsPerRequest: number;
}

export interface CostResult {
  op: string;
  method: string;
  path: string;
  samples: number;
  /** DynamoDB requests per API request (median over samples) and their mix (of the median sample). */
  dynamoCalls: number;
  byCommand: Record<string, number>;
  /** Calls that failed by design (e.g. a monotonic "latest" update that was not newer). */
  failedCalls: Record<string, number>;
  /**
   * Mean consumed capacity per API request: DynamoDB Local's ConsumedCapacity, except for
   * TransactWriteItems, whose reported units do not follow DynamoDB's rules; the meter computes those from item sizes.
   */
  rcu: number;
  wcu: number;
  /** Mean units exactly as DynamoDB Local reported them. */
  reportedRcu: number;
  reportedWcu: number;
}

export interface ApiBenchResult {
  dynamoLocalStartupMs: number;
  customersInTable: number;
  viewCustomerEntries: number;
  latency: LatencyResult[];
  /** Raw `GetItem` of the customer profile (same client settings, same DynamoDB Local). */
  baseline: BaselineResult;
  /** Route p50 / p50 of the raw GetItems taken between that route's requests, per latency op. */
  overhead: Array<{ op: string; ratioToGetItem: number }>;
  load: LoadResult[];
  cost: CostResult[];
  notes: string[];
}

interface Response {
  status: number;
  ms: number;
  body: unknown;
  text: string;
  headers: Headers;
}

type Json = Record<string, unknown>;

const entryBodies = (index: number, occurredAt: string): Json => {
  const base = { occurredAt };
  switch (index % 6) {
    case 0:
      return { ...base, type: 'call', direction: 'outbound', durationSeconds: 180, outcome: 'connected' };
    case 1:
      return { ...base, type: 'email', direction: 'outbound', subject: 'Follow-up on your request' };
    case 2:
      return { ...base, type: 'meeting', subject: 'Quarterly review', durationMinutes: 30 };
    case 3:
      return { ...base, type: 'note', body: 'Prefers to be contacted in the morning.' };
    case 4:
      return {
        ...base,
        type: 'order',
        amount: 49.9,
        currency: 'EUR',
        items: [{ sku: 'SKU-1', name: 'Starter plan', quantity: 1, unitPrice: 49.9 }],
      };
    default:
      return { ...base, type: 'web_visit', url: 'https://example.com/pricing', pageViews: 3 };
  }
};

export const runApiBench = async (options: ApiBenchOptions): Promise<ApiBenchResult> => {
  const { log } = options;
  const { startDynamoLocal, ensureTable, localDynamoClient, LOCAL_CREDENTIALS, LOCAL_REGION } = await import(
    '#infra/local/dynamodb'
  );
  const dynamo = await startDynamoLocal();
  log(`DynamoDB Local ready at ${dynamo.endpoint} in ${dynamo.startupMs} ms`);
  let closeApi: (() => Promise<void>) | undefined;
  let closeSecrets: (() => Promise<void>) | undefined;
  try {
    const { generateDevSecrets } = await import('#infra/local/dev-secrets');
    const { keys } = await generateDevSecrets();
    // The cursor key ring, in memory (a Secrets Manager stand-in, as in the local cloud).
    const { startLocalCursorKeys } = await import('#infra/local/secrets-manager');
    const cursorKeys = await startLocalCursorKeys('bench');
    closeSecrets = () => cursorKeys.secretsManager.close();
    const tableName = 'relay-bench';
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      STAGE: 'bench',
      TABLE_NAME: tableName,
      ...cursorKeys.env,
      POWERTOOLS_SERVICE_NAME: 'relay',
      // One access-log line per request would flood the bench output.
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    await ensureTable(localDynamoClient(dynamo.endpoint), tableName);

    const { dynamoClient } = await import('#shared/aws/clients');
    const { resetConfig } = await import('#shared/config');
    resetConfig();
    const { instrument } = await import('./dynamo-meter.ts');
    const meter: DynamoMeter = instrument(dynamoClient(), localDynamoClient(dynamo.endpoint));

    const { startLocalApi } = await import('#infra/local/http');
    const { mintToken } = await import('#infra/local/tokens');
    const api = await startLocalApi({
      port: 0,
      keys,
      logger: { info: () => undefined, error: (message) => log(message) },
    });
    closeApi = () => api.close();
    const token = await mintToken({ role: 'admin', ttlSeconds: 3600 }, keys);

    const call = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<Response> => {
      const started = performance.now();
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, ms, body: parsed, text, headers: response.headers };
    };
    const expect = (response: Response, status: number, what: string): Json => {
      if (response.status !== status) {
        throw new Error(
          `${what}: expected HTTP ${status}, got ${response.status}: ${response.text.slice(0, 500)}`,
        );
      }
      return (response.body ?? {}) as Json;
    };

    const run = randomUUID().slice(0, 8);
    let seq = 0;
    let customersCreated = 0;
    const newCustomerBody = (extra: Json = {}): Json => {
      seq++;
      customersCreated++;
      return {
        firstName: 'Bench',
        lastName: `Customer ${seq}`,
        emails: [{ address: `bench-${run}-${seq}@example.com`, primary: true }],
        lifecycleStage: 'lead',
        tags: ['bench'],
        ...extra,
      };
    };
    const createCustomer = async (extra: Json = {}): Promise<Json> =>
      expect(await call('POST', '/customers', newCustomerBody(extra)), 201, 'create customer');

    // ── fixtures ──────────────────────────────────────────────────────────────────────────────
    const viewCustomer = await createCustomer();
    const viewId = String(viewCustomer.id);
    const start = Date.now() - options.viewEntries * 60_000;
    for (let i = 0; i < options.viewEntries; i++) {
      const occurredAt = new Date(start + i * 60_000).toISOString();
      expect(
        await call('POST', `/customers/${viewId}/timeline`, entryBodies(i, occurredAt)),
        201,
        'seed timeline',
      );
    }
    const timeline = expect(await call('GET', `/customers/${viewId}/timeline?limit=200`), 200, 'timeline');
    const viewEntries = (timeline.items as unknown[]).length;
    const appendTarget = String((await createCustomer()).id);
    const patchTarget = await createCustomer();
    let patchVersion = Number(patchTarget.version);
    const patchId = String(patchTarget.id);

    // ── latency ───────────────────────────────────────────────────────────────────────────────
    interface Op {
      op: string;
      method: string;
      path: string;
      status: number;
      send: () => Promise<Response>;
    }
    const latencyOps: Op[] = [
      {
        op: 'create customer',
        method: 'POST',
        path: '/customers',
        status: 201,
        send: () => call('POST', '/customers', newCustomerBody()),
      },
      {
        op: '360 view (latest 10)',
        method: 'GET',
        path: '/customers/{id}/view',
        status: 200,
        send: () => call('GET', `/customers/${viewId}/view`),
      },
      {
        op: 'list customers (limit 50)',
        method: 'GET',
        path: '/customers?limit=50',
        status: 200,
        send: () => call('GET', '/customers?limit=50'),
      },
      {
        op: 'get customer',
        method: 'GET',
        path: '/customers/{id}',
        status: 200,
        send: () => call('GET', `/customers/${viewId}`),
      },
      {
        op: 'append timeline entry',
        method: 'POST',
        path: '/customers/{id}/timeline',
        status: 201,
        send: () =>
          call('POST', `/customers/${appendTarget}/timeline`, entryBodies(0, new Date().toISOString())),
      },
      {
        op: 'update customer (PATCH)',
        method: 'PATCH',
        path: '/customers/{id}',
        status: 200,
        send: async () => {
          const response = await call(
            'PATCH',
            `/customers/${patchId}`,
            { jobTitle: `Buyer ${seq++}` },
            { 'if-match': `"${patchVersion}"` },
          );
          if (response.status === 200) patchVersion = Number((response.body as Json).version);
          return response;
        },
      },
    ];

    // ── handler overhead: the same read as a raw GetItem, sampled between each op's requests ──
    const { docClient } = await import('#shared/aws/clients');
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { customerProfileKey } = await import('#shared/db/keys');
    const getItem = async (): Promise<number> => {
      const started = performance.now();
      const out = await docClient().send(
        new GetCommand({ TableName: tableName, Key: customerProfileKey(viewId) }),
      );
      if (!out.Item) throw new Error('baseline GetItem found no profile');
      return performance.now() - started;
    };
    for (let i = 0; i < options.warmup; i++) await getItem();

    const latency: Array<LatencyResult & { pairedGetItemSamples: number[] }> = [];
    for (const op of latencyOps) {
      for (let i = 0; i < options.warmup; i++) expect(await op.send(), op.status, `${op.op} (warm-up)`);
      const samples: number[] = [];
      const calls: number[] = [];
      const paired: number[] = [];
      for (let i = 0; i < options.requests; i++) {
        meter.reset();
        const response = await op.send();
        expect(response, op.status, op.op);
        samples.push(response.ms);
        calls.push(meter.read().totalCalls);
        paired.push(await getItem());
      }
      const ms = summarize(samples);
      latency.push({
        op: op.op,
        method: op.method,
        path: op.path,
        ms,
        dynamoCallsPerRequest: summarize(calls).median,
        pairedGetItemSamples: paired,
      });
      log(`  ${op.op}: p50 ${ms.median} ms, p99 ${ms.p99} ms (n=${ms.n})`);
    }

    const baseline: BaselineResult = {
      op: 'raw GetItem (customer profile)',
      ms: summarize(latency.flatMap((l) => l.pairedGetItemSamples)),
    };
    // Each op's ratio is to the GetItem samples taken between its own requests (same moment, same load).
    const overhead = latency.map((l) => ({
      op: l.op,
      ratioToGetItem: round(l.ms.median / Math.max(summarize(l.pairedGetItemSamples).median, 0.001)),
    }));
    log(`  ${baseline.op}: p50 ${baseline.ms.median} ms`);

    // ── load: autocannon in its own process ──────────────────────────────────────────────────
    const load: LoadResult[] = [];
    if (options.loadSeconds > 0) {
      const { runAutocannon } = await import('./load.ts');
      const loadOps = [
        {
          op: '360 view (latest 10)',
          method: 'GET',
          path: '/customers/{id}/view',
          url: `/customers/${viewId}/view`,
        },
        {
          op: 'create customer',
          method: 'POST',
          path: '/customers',
          url: '/customers',
          // autocannon replaces [<id>] with a fresh id per request: every create has its own email.
          body: JSON.stringify({
            firstName: 'Load',
            lastName: 'Test',
            emails: [{ address: `load-${run}-[<id>]@example.com`, primary: true }],
            lifecycleStage: 'lead',
          }),
        },
      ];
      for (const op of loadOps) {
        meter.reset();
        const result = await runAutocannon({
          url: `${api.url}${op.url}`,
          method: op.method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(op.body ? { body: op.body } : {}),
          seconds: options.loadSeconds,
          connections: options.loadConnections,
        });
        const calls = meter.read().totalCalls;
        load.push({
          op: op.op,
          method: op.method,
          path: op.path,
          seconds: options.loadSeconds,
          connections: options.loadConnections,
          ...result,
          dynamoCallsPerRequest: round(calls / Math.max(result.requests, 1)),
        });
        log(
          `  load ${op.op}: ${result.requestsPerSecond} req/s, p99 ${result.latencyMs.p99} ms, ${result.non2xx} non-2xx`,
        );
      }
    }

    // ── DynamoDB cost per operation ───────────────────────────────────────────────────────────
    const company = expect(
      await call('POST', '/companies', { name: 'Bench Holdings', domain: `bench-${run}.example.com` }),
      201,
      'create company',
    );
    const companyId = String(company.id);
    // The next-page op needs a second page of 50 (short runs create fewer customers).
    while (customersCreated < 120) await createCustomer();
    const firstPage = expect(await call('GET', '/customers?limit=50'), 200, 'list');
    const nextCursor = String(firstPage.nextCursor);
    const lookupEmail = String((viewCustomer.emails as Array<{ address: string }>)[0]?.address);

    interface CostOp {
      op: string;
      method: string;
      path: string;
      status: number;
      /** Prepares one sample outside the measurement; returns the measured request. */
      prepare: () => Promise<() => Promise<Response>>;
    }
    const idempotent = { key: '', body: {} as Json };
    const costOps: CostOp[] = [
      {
        op: 'create customer',
        method: 'POST',
        path: '/customers',
        status: 201,
        prepare: async () => () => call('POST', '/customers', newCustomerBody()),
      },
      {
        op: 'create customer + Idempotency-Key',
        method: 'POST',
        path: '/customers',
        status: 201,
        prepare: async () => {
          idempotent.key = randomUUID();
          idempotent.body = newCustomerBody();
          return () => call('POST', '/customers', idempotent.body, { 'idempotency-key': idempotent.key });
        },
      },
      {
        op: 'create customer, idempotent replay',
        method: 'POST',
        path: '/customers',
        status: 201,
        prepare: async () => {
          const key = randomUUID();
          const body = newCustomerBody();
          expect(
            await call('POST', '/customers', body, { 'idempotency-key': key }),
            201,
            'first idempotent create',
          );
          return () => call('POST', '/customers', body, { 'idempotency-key': key });
        },
      },
      {
        op: 'create customer linked to company',
        method: 'POST',
        path: '/customers',
        status: 201,
        prepare: async () => () => call('POST', '/customers', newCustomerBody({ companyId })),
      },
      {
        op: 'append timeline entry (call)',
        method: 'POST',
        path: '/customers/{id}/timeline',
        status: 201,
        prepare: async () => () =>
          call('POST', `/customers/${appendTarget}/timeline`, entryBodies(0, new Date().toISOString())),
      },
      {
        op: 'append first order (promotes lead)',
        method: 'POST',
        path: '/customers/{id}/timeline',
        status: 201,
        prepare: async () => {
          const id = String((await createCustomer()).id);
          return () => call('POST', `/customers/${id}/timeline`, entryBodies(4, new Date().toISOString()));
        },
      },
      {
        op: '360 view (latest 10)',
        method: 'GET',
        path: '/customers/{id}/view',
        status: 200,
        prepare: async () => () => call('GET', `/customers/${viewId}/view`),
      },
      {
        op: '360 view (latest 50)',
        method: 'GET',
        path: '/customers/{id}/view?latest=50',
        status: 200,
        prepare: async () => () => call('GET', `/customers/${viewId}/view?latest=50`),
      },
      {
        op: 'get customer',
        method: 'GET',
        path: '/customers/{id}',
        status: 200,
        prepare: async () => () => call('GET', `/customers/${viewId}`),
      },
      {
        op: 'list customers, first page (limit 50)',
        method: 'GET',
        path: '/customers?limit=50',
        status: 200,
        prepare: async () => () => call('GET', '/customers?limit=50'),
      },
      {
        op: 'list customers, next page (cursor)',
        method: 'GET',
        path: '/customers?limit=50&cursor=…',
        status: 200,
        prepare: async () => () =>
          call('GET', `/customers?limit=50&cursor=${encodeURIComponent(nextCursor)}`),
      },
      {
        op: 'find customer by email',
        method: 'GET',
        path: '/customers?email=…',
        status: 200,
        prepare: async () => () => call('GET', `/customers?email=${encodeURIComponent(lookupEmail)}`),
      },
      {
        op: 'list timeline (limit 50)',
        method: 'GET',
        path: '/customers/{id}/timeline?limit=50',
        status: 200,
        prepare: async () => () => call('GET', `/customers/${viewId}/timeline?limit=50`),
      },
      {
        op: 'list timeline by type',
        method: 'GET',
        path: '/customers/{id}/timeline?type=call',
        status: 200,
        prepare: async () => () => call('GET', `/customers/${viewId}/timeline?type=call`),
      },
      {
        op: 'PATCH customer (job title)',
        method: 'PATCH',
        path: '/customers/{id}',
        status: 200,
        prepare: async () => {
          const version = patchVersion;
          return async () => {
            const response = await call(
              'PATCH',
              `/customers/${patchId}`,
              { jobTitle: `Buyer ${seq++}` },
              { 'if-match': `"${version}"` },
            );
            if (response.status === 200) patchVersion = Number((response.body as Json).version);
            return response;
          };
        },
      },
      {
        op: 'PATCH customer (replace email)',
        method: 'PATCH',
        path: '/customers/{id}',
        status: 200,
        prepare: async () => {
          const customer = await createCustomer();
          const address = `bench-${run}-${++seq}-new@example.com`;
          return () =>
            call(
              'PATCH',
              `/customers/${String(customer.id)}`,
              { emails: [{ address, primary: true }] },
              { 'if-match': `"${String(customer.version)}"` },
            );
        },
      },
      {
        op: 'delete customer (1 timeline entry)',
        method: 'DELETE',
        path: '/customers/{id}',
        status: 204,
        prepare: async () => {
          const customer = await createCustomer();
          return () =>
            call('DELETE', `/customers/${String(customer.id)}`, undefined, {
              'if-match': `"${String(customer.version)}"`,
            });
        },
      },
      {
        op: 'create company (with domain)',
        method: 'POST',
        path: '/companies',
        status: 201,
        prepare: async () => () =>
          call('POST', '/companies', { name: `Bench ${++seq}`, domain: `bench-${run}-${seq}.example.com` }),
      },
      {
        op: 'list company contacts',
        method: 'GET',
        path: '/companies/{id}/contacts',
        status: 200,
        prepare: async () => () => call('GET', `/companies/${companyId}/contacts`),
      },
    ];

    meter.capacity = true;
    const cost: CostResult[] = [];
    for (const op of costOps) {
      const readings: Reading[] = [];
      for (let i = 0; i < options.capacitySamples; i++) {
        const send = await op.prepare();
        meter.reset();
        expect(await send(), op.status, op.op);
        readings.push(meter.read());
      }
      const medianCalls = summarize(readings.map((r) => r.totalCalls)).median;
      const typical = readings.find((r) => r.totalCalls === medianCalls) ?? readings[0];
      const failed: Record<string, number> = {};
      for (const r of readings) {
        for (const [name, n] of Object.entries(r.failed)) failed[name] = (failed[name] ?? 0) + n;
      }
      for (const name of Object.keys(failed)) failed[name] = round((failed[name] ?? 0) / readings.length);
      const missing = readings.reduce((acc, r) => acc + r.missingCapacity, 0);
      if (missing > 0) log(`  warning: ${op.op}: ${missing} responses without ConsumedCapacity`);
      cost.push({
        op: op.op,
        method: op.method,
        path: op.path,
        samples: readings.length,
        dynamoCalls: medianCalls,
        byCommand: typical?.calls ?? {},
        failedCalls: failed,
        rcu: round(readings.reduce((acc, r) => acc + r.rcu, 0) / readings.length),
        wcu: round(readings.reduce((acc, r) => acc + r.wcu, 0) / readings.length),
        reportedRcu: round(readings.reduce((acc, r) => acc + r.reported.rcu, 0) / readings.length),
        reportedWcu: round(readings.reduce((acc, r) => acc + r.reported.wcu, 0) / readings.length),
      });
    }
    meter.capacity = false;

    return {
      dynamoLocalStartupMs: dynamo.startupMs,
      customersInTable: customersCreated,
      viewCustomerEntries: viewEntries,
      latency: latency.map(({ pairedGetItemSamples: _paired, ...result }) => result),
      baseline,
      overhead,
      load,
      cost,
      notes: [
        "Overhead: each latency op p50 divided by the p50 of raw GetItems of the customer profile with the functions' own client (docClient) on the same DynamoDB Local, one taken right after each of that op's requests (so both see the same machine load; the baseline row is all of them); the route side adds the HTTP hop to the local API Gateway, JWT verification, validation and the response.",
        "Load: autocannon (a separate node process) for loadSeconds per op with loadConnections connections; the API and DynamoDB Local share the 2 cores with it, so absolute numbers are this machine's.",
        'Requests are sequential over HTTP on 127.0.0.1 to the local API Gateway, which runs the area functions in-process (TypeScript via tsx, not the bundles); DynamoDB is DynamoDB Local (Java, in memory) on the same machine.',
        'Latency is measured without ReturnConsumedCapacity; capacity in a separate pass. Failed conditional writes report no ConsumedCapacity, so their WCU are not counted.',
        "DynamoDB Local does not report TransactWriteItems capacity by DynamoDB's rules (it returned 2 units for 1, 2 or 4 small Puts alike); rcu/wcu replace its figure with 2 WCU per started KB per written item (2 RCU per 4 KB per ConditionCheck) plus 1 WCU per started KB per GSI write, from the item sizes before and after (reportedRcu/reportedWcu keep the raw figures).",
        'DynamoDB calls are counted per SDK send (retries inside the SDK are not extra calls).',
        'POWERTOOLS_LOG_LEVEL=WARN: the per-request access-log line the functions write at INFO is not part of the timings.',
      ],
    };
  } finally {
    await closeApi?.();
    await closeSecrets?.();
    await dynamo.stop();
  }
};
