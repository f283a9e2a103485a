/**
 * Fuzz / property suite over every route of the manifest (shared/routes.ts), end to end: raw HTTP
 * → local API Gateway → area functions → DynamoDB Local. Requests are derived from each route's
 * zod schemas (test/support/zod-arbitrary.ts: valid-ish path, query and body) and mixed with
 * hostile generators (test/support/hostile.ts): numbers past the edges, deep nesting, long and odd
 * strings, prototype keys, wrong types, raw and invalid-UTF-8 bodies, odd content types, escaping
 * path segments, hostile headers, and tokens of an admin, of restricted roles, forged or none.
 *
 * Properties, for every request:
 * - never a 5xx;
 * - every 4xx is `application/problem+json` with the RFC 9457 fields and a matching `status`;
 * - after any 4xx of a write (anything but GET), the table is unchanged (a Scan before and after).
 *
 * Bounded: FUZZ_RUNS requests per route (default 25; ~25 s on a 2-core machine), fixed seed FUZZ_SEED (default
 * below). Reproduce a failure with the seed fast-check reports: `FUZZ_SEED=<seed> npx vitest run
 * test/integration/fuzz.test.ts -t '<route id>'` (docs/testing.md).
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { type LocalSes, startLocalSes } from '#infra/local/ses';
import type { Role } from '#shared/auth/roles';
import type { RouteDef } from '#shared/http/route';
import { routes } from '#shared/routes';
import {
  contentTypeArb,
  hostileQueryValueArb,
  hostileSegmentArb,
  hostileStringArb,
  mutate,
  mutationArb,
  prototypeKeyArb,
  rawBodyArb,
  renderJson,
} from '#test/support/hostile';
import { arbitraryOf, queryArbitraryOf } from '#test/support/zod-arbitrary';
import { apiClient } from './support/api-client.ts';
import { startTestApi, type TestApi, useTestTable } from './support/local-cloud.ts';
import { tableSnapshot } from './support/table-snapshot.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

let api: TestApi;
let table: Awaited<ReturnType<typeof useTestTable>>;
const serverErrors: string[] = [];
/** Statuses of the current property's requests (FUZZ_STATS=1 prints them per route). */
const statuses: number[] = [];
const tokens = new Map<string, string>();
/** Ids of records that exist (so fuzzed paths reach them), by path parameter. */
const known = {
  customers: [] as string[],
  companies: [] as string[],
  entries: [] as string[],
  webhooks: [] as string[],
};

/** The callers: an admin, restricted roles (one that owns records, read-only ones), forged and none. */
const CALLERS = ['admin', 'sales', 'analyst', 'support', 'none', 'forged', 'otherSales'] as const;
type Caller = (typeof CALLERS)[number];
const SALES_SUB = '11111111-2222-4333-8444-555555555555';

let ses: LocalSes | undefined;

beforeAll(async () => {
  table = await useTestTable('fuzz');
  // Template writes create SES templates: the local SES takes them.
  ses = await startLocalSes();
  api = await startTestApi({
    logger: { info: () => undefined, error: (message) => serverErrors.push(message) },
    timeoutMs: 15_000,
  });
  for (const role of ['admin', 'sales', 'analyst', 'support'] as Role[]) {
    tokens.set(role, await api.token(role, role === 'sales' ? SALES_SUB : undefined));
  }
  tokens.set('otherSales', await api.token('sales'));
  const admin = tokens.get('admin') ?? '';
  tokens.set('forged', `${admin.slice(0, admin.lastIndexOf('.'))}.${'A'.repeat(86)}`);
  // Records for fuzzed paths to reach: owned by sales, unowned, with timeline entries.
  const http = apiClient(api);
  const company = await http.post<Json>('/companies', { name: 'Fuzz Ltd', domain: 'fuzz.example.com' });
  known.companies.push(company.body.id);
  for (const [i, sub] of [SALES_SUB, undefined].entries()) {
    const customer = await http.post<Json>(
      '/customers',
      { firstName: `Fuzz${i}`, emails: [{ address: `fuzz${i}@example.com` }], companyId: company.body.id },
      { role: sub ? 'sales' : 'admin', ...(sub ? { sub } : {}) },
    );
    known.customers.push(customer.body.id);
    for (const entry of [
      { type: 'complaint', severity: 'high', channel: 'email', subject: 'Late' },
      { type: 'order', orderId: `O-${i}`, amount: 12.5, currency: 'EUR' },
      { type: 'note', body: 'hello' },
    ]) {
      const res = await http.post<Json>(`/customers/${customer.body.id}/timeline`, entry);
      if (res.status === 201) known.entries.push(res.body.id);
    }
  }
  const webhook = await http.post<Json>('/webhooks', {
    url: 'https://hooks.example.com/relay',
    eventTypes: ['customer.created'],
  });
  if (webhook.status === 201) known.webhooks.push(webhook.body.id);
  expect(known.customers).toHaveLength(2);
});

afterAll(async () => {
  await api?.close();
  await ses?.stop();
});

// ── raw HTTP (fetch would normalise `..` and refuse some bytes) ─────────────────────────────────

interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | undefined;
}

interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

const send = (req: RawRequest): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(api.url);
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        // A fresh connection per request: a pooled socket the server closed would fail the next one.
        agent: false,
        headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });

const describeRequest = (req: RawRequest): string => {
  const body = req.body ? req.body.toString('utf8').slice(0, 300) : '';
  const headers = Object.entries(req.headers)
    .filter(([name]) => name !== 'authorization')
    .map(([name, value]) => `${name}: ${value.slice(0, 80)}`)
    .join('; ');
  return `${req.method} ${req.path.slice(0, 200)} [${headers}] ${body}`;
};

/** Stands for "the version the record has now" in a generated If-Match (resolved just before sending). */
const CURRENT_VERSION = 'current';

/** Replaces an If-Match of `CURRENT_VERSION` with the record's ETag (a GET of the same path), so versioned writes can succeed. */
const withCurrentVersion = async (req: RawRequest): Promise<RawRequest> => {
  if (req.headers['if-match'] !== CURRENT_VERSION) return req;
  const { 'if-match': _, ...headers } = req.headers;
  const read = await new Promise<string | undefined>((resolve, reject) => {
    const url = new URL(api.url);
    httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: 'GET',
        path: req.path.split('?')[0],
        agent: false,
        headers: { authorization: `Bearer ${tokens.get('admin')}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers.etag));
      },
    )
      .on('error', reject)
      .end();
  });
  if (!read) return { ...req, headers };
  return { ...req, headers: { ...headers, 'if-match': read }, body: withBodyVersion(req.body, read) };
};

/** A JSON object body's `version`, if it has one, set to the ETag's version (so both agree). */
const withBodyVersion = (body: Buffer | undefined, etag: string): Buffer | undefined => {
  try {
    const parsed = JSON.parse(body?.toString('utf8') ?? '') as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !('version' in parsed))
      return body;
    return Buffer.from(JSON.stringify({ ...parsed, version: Number(etag.replace(/\D/g, '')) }));
  } catch {
    return body;
  }
};

/** The properties every response keeps; for a failed write, the table is as it was. */
const check = async (generated: RawRequest): Promise<void> => {
  const req = await withCurrentVersion(generated);
  const write = req.method !== 'GET';
  const before = write ? await tableSnapshot(table) : '';
  serverErrors.length = 0;
  const res = await send(req);
  statuses.push(res.status);
  const what = `${describeRequest(req)} → ${res.status} ${res.text.slice(0, 400)} ${serverErrors.join(' | ').slice(0, 1500)}`;
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.contentType, what).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.text) as Json;
    expect(problem, what).toMatchObject({
      type: expect.stringMatching(/^https:\/\//),
      title: expect.any(String),
      status: res.status,
      detail: expect.any(String),
      instance: expect.any(String),
      correlationId: expect.any(String),
    });
    if (write) expect(await tableSnapshot(table), `the table changed after ${what}`).toBe(before);
  }
};

// ── request arbitraries per route ────────────────────────────────────────────────────────────

const idsFor = (route: RouteDef, param: string): string[] => {
  if (param === 'entryId') return known.entries;
  if (route.path.startsWith('/companies')) return known.companies;
  if (route.path.startsWith('/webhooks')) return known.webhooks;
  return known.customers;
};

const pathArb = (route: RouteDef): fc.Arbitrary<string> => {
  const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  if (names.length === 0) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant(route.path) },
      fc.constantFrom(
        `${route.path}/`,
        `${route.path}/..`,
        `${route.path}%2F`,
        `/${route.path.slice(1).toUpperCase()}`,
      ),
    );
  }
  const params = route.request?.params as z.ZodMiniType | undefined;
  const segmentArbs = names.map((name) => {
    const fromSchema = params
      ? arbitraryOf(params).map((value) => String((value as Record<string, unknown>)[name] ?? ''))
      : fc.constant('x');
    const ids = idsFor(route, name);
    return fc.oneof(
      ...(ids.length > 0 ? [{ weight: 5, arbitrary: fc.constantFrom(...ids) }] : []),
      { weight: 2, arbitrary: fromSchema.map(encode) },
      { weight: 2, arbitrary: hostileSegmentArb },
    );
  });
  return fc.tuple(...segmentArbs).map((segments) => {
    let i = 0;
    return route.path.replace(/\{[^}]+\}/g, () => segments[i++] || 'x');
  });
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Percent-encodes any string (a lone surrogate has no UTF-8 form: it becomes U+FFFD, as a client's would). */
const encode = (text: string): string => encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'));

const encodeQuery = (pairs: ReadonlyArray<readonly [string, string]>): string =>
  pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');

const queryArb = (route: RouteDef): fc.Arbitrary<string> => {
  const schema = route.request?.query as z.ZodMiniType | undefined;
  const valid = schema ? queryArbitraryOf(schema, { ids: known.customers }) : fc.constant({});
  const hostilePairs = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'limit',
          'cursor',
          'latest',
          'type',
          'from',
          'to',
          'email',
          'entityType',
          'entityId',
          'actor',
        ),
        prototypeKeyArb,
        hostileStringArb.map((s) => s.slice(0, 100) || 'k'),
      ),
      hostileQueryValueArb,
    ),
    { maxLength: 3 },
  );
  return fc
    .tuple(valid, fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, hostilePairs), fc.boolean())
    .map(([values, extra, raw]) => {
      const query = encodeQuery([...Object.entries(values as Record<string, string>), ...extra]);
      // Sometimes raw bytes in the query (bad percent-encoding).
      return raw && extra.length > 0 ? `${query}&%ZZ=%E2%82` : query;
    });
};

const bodyArb = (route: RouteDef): fc.Arbitrary<{ body: Buffer | undefined; json: boolean }> => {
  const schema = route.request?.body as z.ZodMiniType | undefined;
  const versionBody = fc.record({ version: fc.integer({ min: 0, max: 4 }) });
  const base: fc.Arbitrary<unknown> = schema
    ? arbitraryOf(schema, { ids: known.customers.concat(known.companies) })
    : route.versioned
      ? versionBody
      : fc.constant(undefined);
  const structured = fc
    .tuple(
      base,
      fc.oneof(
        { weight: 2, arbitrary: fc.constant([]) },
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
      ),
    )
    .map(([value, mutations]) => {
      if (value === undefined && mutations.length === 0) return { body: undefined, json: false };
      const body = mutations.length > 0 ? mutate(value ?? {}, mutations) : value;
      return { body: Buffer.from(renderJson(body), 'utf8'), json: true };
    });
  return fc.oneof(
    { weight: 5, arbitrary: structured },
    { weight: 1, arbitrary: rawBodyArb.map((body) => ({ body, json: false })) },
  );
};

const headersArb = (route: RouteDef): fc.Arbitrary<Record<string, string>> =>
  fc
    .record({
      caller: fc.oneof(
        { weight: 4, arbitrary: fc.constant<Caller>('admin') },
        { weight: 3, arbitrary: fc.constantFrom<Caller>(...CALLERS) },
      ),
      // Versioned routes mostly get one (usually the current version), others mostly none.
      ifMatch: fc.oneof(
        { weight: route.versioned ? 1 : 4, arbitrary: fc.constant(undefined) },
        {
          weight: route.versioned ? 4 : 1,
          arbitrary: fc.oneof(
            { weight: 3, arbitrary: fc.constant(CURRENT_VERSION) },
            fc.integer({ min: 0, max: 4 }).map((n) => `"${n}"`),
            fc.constantFrom('*', 'W/"1"', '"abc"', '"99999999999999999999"', '"-1"', '', '"1", "2"'),
          ),
        },
      ),
      idempotencyKey: fc.option(
        fc.oneof(fc.uuid(), fc.constantFrom('', ' ', 'k'.repeat(300), 'same-key', '__proto__')),
        { nil: undefined, freq: 3 },
      ),
      correlation: fc.option(fc.constantFrom('corr-ok-123', 'x'.repeat(500), '../../', '<script>'), {
        nil: undefined,
        freq: 4,
      }),
    })
    .map(({ caller, ifMatch, idempotencyKey, correlation }) => {
      const headers: Record<string, string> = {};
      const token = caller === 'none' ? undefined : tokens.get(caller);
      if (token) headers.authorization = `Bearer ${token}`;
      if (ifMatch !== undefined) headers['if-match'] = ifMatch;
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
      if (correlation !== undefined) headers['x-correlation-id'] = correlation;
      return headers;
    });

/** Request lines stay below what node:http (and API Gateway) accept at all. */
const MAX_URL_LENGTH = 6_000;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The request as a client that follows the contract would send it (to reach the services and the table). */
const cleanRequestArb = (route: RouteDef): fc.Arbitrary<RawRequest> => {
  const schema = route.request?.body as z.ZodMiniType | undefined;
  const query = route.request?.query as z.ZodMiniType | undefined;
  const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const ids = names.map((name) => idsFor(route, name));
  const body: fc.Arbitrary<unknown> = schema
    ? arbitraryOf(schema, { ids: known.customers.concat(known.companies) })
    : fc.constant(undefined);
  return fc
    .record({
      segments: fc.tuple(
        ...ids.map((pool) => (pool.length > 0 ? fc.constantFrom(...pool) : fc.constant('x'))),
      ),
      query: query
        ? fc.option(queryArbitraryOf(query, { ids: known.customers }), { nil: undefined })
        : fc.constant(undefined),
      body,
      caller: fc.constantFrom<Caller>('admin', 'admin', 'sales'),
    })
    .map(({ segments, query: values, body: value, caller }) => {
      let i = 0;
      const path = route.path.replace(/\{[^}]+\}/g, () => segments[i++] ?? 'x');
      const queryText = values ? encodeQuery(Object.entries(values)) : '';
      const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(caller)}` };
      if (route.versioned) headers['if-match'] = CURRENT_VERSION;
      const bytes = value === undefined ? undefined : Buffer.from(renderJson(value), 'utf8');
      if (bytes) headers['content-type'] = 'application/json';
      return { method: route.method, path: queryText ? `${path}?${queryText}` : path, headers, body: bytes };
    });
};

/** A request hostile in any of its parts (method, path, query, body, content type, headers). */
const hostileRequestArb = (route: RouteDef): fc.Arbitrary<RawRequest> =>
  fc
    .record({
      method: fc.oneof({ weight: 9, arbitrary: fc.constant(route.method) }, fc.constantFrom(...METHODS)),
      path: pathArb(route),
      query: fc.oneof({ weight: 2, arbitrary: fc.constant('') }, queryArb(route)),
      body: bodyArb(route),
      contentType: fc.oneof({ weight: 5, arbitrary: fc.constant('json') }, contentTypeArb),
      headers: headersArb(route),
    })
    .map(({ method, path, query, body, contentType, headers }) => {
      const all = { ...headers };
      const type = contentType === 'json' ? (body.body ? 'application/json' : undefined) : contentType;
      if (type !== undefined) all['content-type'] = type;
      // Past ~8 KB the HTTP server itself refuses the request line (as API Gateway does, with its own reply).
      const url = (query ? `${path}?${query}` : path).slice(0, MAX_URL_LENGTH);
      return { method, path: url, headers: all, body: body.body };
    });

/** One in three requests is clean (so writes succeed and later requests meet changed records), the rest hostile. */
const requestArb = (route: RouteDef): fc.Arbitrary<RawRequest> =>
  fc.oneof(
    { weight: 1, arbitrary: cleanRequestArb(route) },
    { weight: 2, arbitrary: hostileRequestArb(route) },
  );

const fuzzed: readonly RouteDef[] = routes.filter((route) => route.id !== 'docs' && route.id !== 'openapi');

describe('Fuzz: every route of the manifest', () => {
  it.each(fuzzed.map((route) => ({ id: route.id, route })))(
    '$id: never a 5xx, 4xx are problems, a failed write changes nothing',
    async ({ route }) => {
      statuses.length = 0;
      await fc.assert(
        fc.asyncProperty(requestArb(route), async (req) => {
          await check(req);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: process.env.FUZZ_SHRINK !== '1' },
      );
      if (process.env.FUZZ_STATS === '1') {
        const counts = new Map<number, number>();
        for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
        const summary = [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
        process.stderr.write(`[fuzz] ${route.id}: ${summary.join(' ')}\n`);
      }
    },
  );

  it('the docs and OpenAPI routes, and unknown paths: never a 5xx, 4xx are problems', async () => {
    const paths = fc.oneof(
      fc.constantFrom('/docs', '/openapi.json', '/', '/customers/', '//customers', '/customers/%2F/view'),
      fc.array(hostileSegmentArb, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
    );
    await fc.assert(
      fc.asyncProperty(
        paths,
        fc.constantFrom(...METHODS),
        headersArb(fuzzed[0] as RouteDef),
        async (path, method, headers) => {
          await check({ method, path, headers });
        },
      ),
      { seed: SEED, numRuns: RUNS * 2, endOnFailure: process.env.FUZZ_SHRINK !== '1' },
    );
  });
});
