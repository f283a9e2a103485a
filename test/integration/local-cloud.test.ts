import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureTable } from '#infra/local/dynamodb';
import type { AreaHandler } from '#infra/local/http';
import { buildDemoPlan, seed, seedIfEmpty } from '#infra/local/seed';
import { mintToken, scopeClaimFor } from '#infra/local/tokens';
import { fullScope, roleScopes } from '#shared/auth/roles';
import { tableDefinition } from '#shared/db/table';
import { appDeps } from '#shared/deps';
import { listCompanies } from '#shared/domain/companies/service';
import { lifecycleStages } from '#shared/domain/customers/schemas';
import { customerView, listCustomers } from '#shared/domain/customers/service';
import { startTestApi, type TestApi, useTestTable } from '#test/integration/support/local-cloud';
import { type RawResponse, rawRequest } from './support/raw-request.ts';

interface Captured {
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  context: Context;
  remainingMs: number;
}

const problemOf = (response: RawResponse) => ({
  contentType: response.headers['content-type'],
  ...(JSON.parse(response.body) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    instance: string;
  }),
});

describe('Module: local DynamoDB (ensureTable)', () => {
  let client: DynamoDBClient;
  let tableName: string;
  let table: TableDescription;

  beforeAll(async () => {
    ({ client, tableName } = await useTestTable('local-cloud'));
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table ?? {};
  });

  it('creates the key schema from the table definition', () => {
    // Assess
    expect(table.TableStatus).toBe('ACTIVE');
    expect(table.KeySchema).toEqual([
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ]);
    expect(new Set(table.AttributeDefinitions?.map((a) => `${a.AttributeName}:${a.AttributeType}`))).toEqual(
      new Set(['pk:S', 'sk:S', 'gsi1pk:S', 'gsi1sk:S', 'gsi2pk:S', 'gsi2sk:S']),
    );
    expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('creates every GSI of the definition with its keys and ALL projection', () => {
    // Assess
    const indexes = (table.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName,
      keys: index.KeySchema,
      projection: index.Projection?.ProjectionType,
      status: index.IndexStatus,
    }));
    expect(indexes).toEqual(
      tableDefinition.globalSecondaryIndexes.map((index) => ({
        name: index.indexName,
        keys: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        projection: 'ALL',
        status: 'ACTIVE',
      })),
    );
  });

  it('enables the stream with new and old images', () => {
    // Assess
    expect(table.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: tableDefinition.streamViewType,
    });
    expect(table.LatestStreamArn).toBeTruthy();
  });

  it('enables TTL on the definition’s TTL attribute', async () => {
    // Act
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );

    // Assess
    expect(TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: tableDefinition.ttlAttribute,
    });
  });

  it('leaves an existing table alone when called again', async () => {
    // Act
    const again = await Promise.all([ensureTable(client, tableName), ensureTable(client, tableName)]);
    const after = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;

    // Assess
    expect(again).toEqual([{ created: false }, { created: false }]);
    expect(after?.CreationDateTime).toEqual(table.CreationDateTime);
  });

  it('rejects table names DynamoDB Local cannot hold', async () => {
    // Act
    const result = ensureTable(client, 'ab');

    // Assess
    await expect(result).rejects.toThrow(/at least 3 characters/);
  });
});

describe('Module: local API Gateway (startLocalApi)', () => {
  let api: TestApi;
  const captured: Captured[] = [];
  const errors: string[] = [];
  const echo: AreaHandler = async (event, context) => {
    captured.push({
      event: event as APIGatewayProxyEventV2WithJWTAuthorizer,
      context,
      remainingMs: context.getRemainingTimeInMillis(),
    });
    if (event.headers['x-test-throw']) throw new Error('handler exploded');
    return {
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'x-echo': 'yes' },
      cookies: ['session=abc; HttpOnly', 'theme=dark'],
      body: JSON.stringify({ ok: true }),
    };
  };
  const lastEvent = (): APIGatewayProxyEventV2WithJWTAuthorizer => {
    const last = captured.at(-1);
    if (!last) throw new Error('the handler was not called');
    return last.event;
  };

  beforeAll(async () => {
    await useTestTable('local-api');
    api = await startTestApi({
      handlers: { customers: echo, companies: echo },
      logger: { info: () => undefined, error: (line) => errors.push(line) },
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers GET /health through the system function', async () => {
    // Act
    const response = await fetch(`${api.url}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', stage: 'test' });
  });

  it('serves the docs page through the system function, under its Content-Security-Policy', async () => {
    // Act
    const response = await fetch(`${api.url}/docs`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('<script src="docs/assets/swagger-ui-bundle.js"></script>');
  });

  it.each([
    ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8', 'SwaggerUIBundle'],
    ['swagger-ui.css', 'text/css; charset=utf-8', '.swagger-ui'],
    ['docs-init.js', 'text/javascript; charset=utf-8', 'SwaggerUIBundle('],
  ])('serves the docs asset %s as %s', async (file, contentType, marker) => {
    // Act: the URL the page's relative reference resolves to
    const response = await fetch(new URL(`docs/assets/${file}`, `${api.url}/docs`));

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(await response.text()).toContain(marker);
  });

  it.each([
    '/docs/assets/..%2Fpackage.json',
    '/docs/assets/..%2F..%2F..%2Fpackage.json',
    '/docs/assets/swagger-ui-bundle.js.map',
    '/docs/assets/../package.json',
  ])('answers %s with a 404 problem, never a file outside the allow-list', async (path) => {
    // Act: a raw request, so the path reaches the server as written
    const response = await rawRequest(`${api.url}${path}`);

    // Assess
    expect(response.status).toBe(404);
    expect(problemOf(response)).toMatchObject({ contentType: 'application/problem+json', status: 404 });
  });

  it('renders a protected request as an API Gateway payload 2.0 event', async () => {
    // Prepare
    const token = await api.token('sales', 'user-1');

    // Act
    const response = await rawRequest(
      `${api.url}/customers/01HZX%20Y/view?latest=5&tag=a&tag=b&email=ada%40example.com`,
      {
        headers: {
          Authorization: `Bearer ${token}`,
          'X-Multi': ['one', 'two'],
          Cookie: 'c1=v1; c2=v2',
          'User-Agent': 'relay-test/1.0',
        },
      },
    );

    // Assess
    expect(response.status).toBe(201);
    const event = lastEvent();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /customers/{id}/view',
      rawPath: '/customers/01HZX%20Y/view',
      rawQueryString: 'latest=5&tag=a&tag=b&email=ada%40example.com',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { latest: '5', tag: 'a,b', email: 'ada@example.com' },
      pathParameters: { id: '01HZX Y' },
      isBase64Encoded: false,
      requestContext: {
        accountId: expect.any(String),
        apiId: expect.any(String),
        domainName: new URL(api.url).host,
        http: {
          method: 'GET',
          path: '/customers/01HZX%20Y/view',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'relay-test/1.0',
        },
        requestId: expect.any(String),
        routeKey: 'GET /customers/{id}/view',
        stage: '$default',
        time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
        timeEpoch: expect.any(Number),
      },
    });
    expect(event.body).toBeUndefined();
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.headers['user-agent']).toBe('relay-test/1.0');
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('puts the verified claims in requestContext.authorizer.jwt in the wire format', async () => {
    // Prepare
    const token = await api.token('marketing', 'user-2');

    // Act
    await rawRequest(`${api.url}/customers`, { headers: { authorization: `Bearer ${token}` } });

    // Assess
    const { jwt } = lastEvent().requestContext.authorizer;
    expect(jwt.claims).toMatchObject({
      sub: 'user-2',
      'cognito:groups': '[marketing]',
      token_use: 'access',
      scope: roleScopes.marketing.map(fullScope).join(' '),
    });
    expect(jwt.claims.exp).toMatch(/^\d+$/);
    expect(Object.values(jwt.claims).every((value) => typeof value === 'string')).toBe(true);
    expect(jwt.scopes).toEqual(roleScopes.marketing.map(fullScope));
  });

  it('passes a JSON body as text and a binary body base64-encoded', async () => {
    // Prepare
    const token = await api.token('admin');

    // Act
    await rawRequest(`${api.url}/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
      body: '{"name":"Zoë"}',
    });
    const json = lastEvent();
    await rawRequest(`${api.url}/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from([0, 1, 2, 255]),
    });
    const binary = lastEvent();

    // Assess
    expect(json.body).toBe('{"name":"Zoë"}');
    expect(json.isBase64Encoded).toBe(false);
    expect(binary.body).toBe(Buffer.from([0, 1, 2, 255]).toString('base64'));
    expect(binary.isBase64Encoded).toBe(true);
  });

  it('calls the handler with a Lambda-like context named after the area', async () => {
    // Prepare
    const token = await api.token('admin');

    // Act
    await rawRequest(`${api.url}/companies`, { headers: { authorization: `Bearer ${token}` } });

    // Assess
    const last = captured.at(-1);
    expect(last?.context).toMatchObject({
      functionName: 'relay-local-companies',
      functionVersion: '$LATEST',
      awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      invokedFunctionArn: expect.stringMatching(/:function:relay-local-companies$/),
    });
    expect(last?.remainingMs).toBeGreaterThan(25_000);
    expect(last?.remainingMs).toBeLessThanOrEqual(30_000);
  });

  it('writes the structured result: status, headers and one set-cookie per cookie', async () => {
    // Prepare
    const token = await api.token('admin');

    // Act
    const response = await rawRequest(`${api.url}/companies`, {
      headers: { authorization: `Bearer ${token}` },
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers['x-echo']).toBe('yes');
    expect(response.headers['set-cookie']).toEqual(['session=abc; HttpOnly', 'theme=dark']);
    expect(JSON.parse(response.body)).toEqual({ ok: true });
  });

  it('answers 401 problem+json with a Bearer challenge when the token is missing', async () => {
    // Prepare
    const calls = captured.length;

    // Act
    const response = await rawRequest(`${api.url}/customers`);

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(problemOf(response)).toMatchObject({
      contentType: 'application/problem+json',
      type: 'https://relay.dev/problems/unauthorized',
      status: 401,
      instance: '/customers',
    });
    expect(captured.length).toBe(calls);
  });

  it('answers 401 for a token with a bad signature', async () => {
    // Prepare
    const token = await api.token('admin');
    const tampered = `${token.slice(0, -4)}AAAA`;

    // Act
    const response = await rawRequest(`${api.url}/customers`, {
      headers: { authorization: `Bearer ${tampered}` },
    });

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer .*invalid_token/);
  });

  it('answers 401 for an expired token', async () => {
    // Prepare
    const issuedAt = Math.floor(Date.now() / 1000) - 3600;
    const token = await mintToken({ role: 'admin', issuedAt, ttlSeconds: 60 }, api.keys);

    // Act
    const response = await rawRequest(`${api.url}/customers`, {
      headers: { authorization: `Bearer ${token}` },
    });

    // Assess
    expect(response.status).toBe(401);
    expect(problemOf(response).detail).toMatch(/expired/);
  });

  describe('a token it accepted before', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('answers 401 as expired once the token’s exp has passed', async () => {
      // Prepare
      vi.useFakeTimers({ toFake: ['Date'] });
      const token = await mintToken({ role: 'admin', ttlSeconds: 60 }, api.keys);
      const request = () =>
        rawRequest(`${api.url}/customers`, { headers: { authorization: `Bearer ${token}` } });
      const accepted = await request();
      vi.setSystemTime(Date.now() + 60_000);

      // Act
      const response = await request();

      // Assess
      expect(accepted.status).toBe(201);
      expect(response.status).toBe(401);
      expect(problemOf(response).detail).toMatch(/expired/);
    });

    it('answers 401 for a copy with a changed payload and keeps accepting the original', async () => {
      // Prepare
      const token = await api.token('analyst', 'user-5');
      const request = (bearer: string) =>
        rawRequest(`${api.url}/customers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: '{}',
        });
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as object;
      const raised = Buffer.from(
        JSON.stringify({ ...claims, 'cognito:groups': ['admin'], scope: scopeClaimFor('admin') }),
      ).toString('base64url');
      const forbidden = await request(token);

      // Act
      const forged = await request(`${header}.${raised}.${signature}`);
      const again = await request(token);

      // Assess
      expect(forbidden.status).toBe(403);
      expect(forged.status).toBe(401);
      expect(again.status).toBe(403);
    });
  });

  it('answers 403 problem+json when the token lacks the route scope', async () => {
    // Prepare
    const token = await api.token('analyst');

    // Act
    const response = await rawRequest(`${api.url}/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });

    // Assess
    expect(response.status).toBe(403);
    expect(problemOf(response)).toMatchObject({
      contentType: 'application/problem+json',
      type: 'https://relay.dev/problems/forbidden',
      status: 403,
    });
    expect(problemOf(response).detail).toContain('relay/customers.write');
  });

  it('answers 404 problem+json for a path no route matches', async () => {
    // Act
    const response = await rawRequest(`${api.url}/nowhere/at/all`);

    // Assess
    expect(response.status).toBe(404);
    expect(problemOf(response)).toMatchObject({
      contentType: 'application/problem+json',
      status: 404,
      instance: '/nowhere/at/all',
    });
  });

  it('answers 405 problem+json with an Allow header for a known path and another method', async () => {
    // Act
    const response = await rawRequest(`${api.url}/customers/01HZX`, { method: 'PUT' });

    // Assess
    expect(response.status).toBe(405);
    expect(String(response.headers.allow).split(', ').sort()).toEqual(['DELETE', 'GET', 'PATCH']);
    expect(problemOf(response)).toMatchObject({ contentType: 'application/problem+json', status: 405 });
  });

  it('answers 413 problem+json for a body over 10 MB', async () => {
    // Prepare
    const token = await api.token('admin');
    const body = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');

    // Act
    const response = await rawRequest(`${api.url}/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });

    // Assess
    expect(response.status).toBe(413);
    expect(problemOf(response)).toMatchObject({ contentType: 'application/problem+json', status: 413 });
  });

  it('turns a throwing handler into a 500 problem with a correlation id and keeps serving', async () => {
    // Prepare
    const token = await api.token('admin');

    // Act
    const failed = await rawRequest(`${api.url}/customers`, {
      headers: { authorization: `Bearer ${token}`, 'x-test-throw': '1' },
    });
    const next = await rawRequest(`${api.url}/customers`, { headers: { authorization: `Bearer ${token}` } });

    // Assess
    const problem = problemOf(failed) as ReturnType<typeof problemOf> & { correlationId: string };
    expect(failed.status).toBe(500);
    expect(problem).toMatchObject({ contentType: 'application/problem+json', status: 500 });
    expect(problem.correlationId).toBeTruthy();
    expect(failed.body).not.toContain('handler exploded');
    expect(
      errors.some((line) => line.includes(problem.correlationId) && line.includes('handler exploded')),
    ).toBe(true);
    expect(next.status).toBe(201);
  });
});

describe('Module: demo seed', () => {
  const anchor = new Date('2026-11-01T00:00:00.000Z');

  it('plans at least 5 companies and 50 customers across every lifecycle stage, all in the past 18 months', () => {
    // Act
    const plan = buildDemoPlan({ anchor });

    // Assess
    const steps = plan.customers.flatMap((customer) => customer.steps);
    const entryTypes = new Set(steps.flatMap((step) => (step.kind === 'entry' ? [step.input.type] : [])));
    const earliest = Math.min(...plan.customers.map((customer) => customer.createdAt));
    expect(plan.companies.length).toBeGreaterThanOrEqual(5);
    expect(plan.customers.length).toBeGreaterThanOrEqual(50);
    expect(new Set(plan.customers.map((customer) => customer.finalStage))).toEqual(new Set(lifecycleStages));
    expect(entryTypes).toEqual(
      new Set([
        'order',
        'support_request',
        'complaint',
        'call',
        'meeting',
        'survey_response',
        'email',
        'web_visit',
        'note',
        'chat',
        'interview',
      ]),
    );
    expect(steps.every((step) => step.at < anchor.getTime())).toBe(true);
    expect(earliest).toBeGreaterThanOrEqual(anchor.getTime() - 549 * 86_400_000);
    expect(new Set(plan.customers.map((customer) => customer.input.emails?.[0]?.address)).size).toBe(
      plan.customers.length,
    );
  });

  it('plans the same data for the same anchor and seed', () => {
    // Act
    const first = buildDemoPlan({ anchor });
    const second = buildDemoPlan({ anchor });
    const other = buildDemoPlan({ anchor, seed: 7 });

    // Assess
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(first));
  });

  describe('Function: seedIfEmpty / seed on DynamoDB Local', () => {
    const options = { anchor, customers: 6 };
    const plan = buildDemoPlan(options);
    let first: Awaited<ReturnType<typeof seedIfEmpty>>;

    beforeAll(async () => {
      await useTestTable('seed');
      first = await seedIfEmpty(options);
    });

    it('seeds an empty table with every planned company and customer', async () => {
      // Act
      const deps = appDeps();
      const customers = (await listCustomers(deps, { limit: 200 })).items;
      const companies = (await listCompanies(deps, { limit: 200 })).items;

      // Assess
      expect(first.seeded).toBe(true);
      expect(first.result).toMatchObject({ companiesCreated: plan.companies.length, customersCreated: 6 });
      expect(customers).toHaveLength(6);
      expect(companies.map((company) => company.domain).sort()).toEqual(
        plan.companies.map((company) => company.input.domain).sort(),
      );
    });

    it('leaves each customer in the stage and with the aggregates its timeline implies', async () => {
      // Prepare
      const deps = appDeps();
      const customers = (await listCustomers(deps, { limit: 200 })).items;

      // Act
      const results = await Promise.all(
        plan.customers.map(async (planned) => {
          const stored = customers.find(
            (customer) => customer.primaryEmail === planned.input.emails?.[0]?.address,
          );
          const view = await customerView(deps, stored?.id ?? 'missing', 1);
          return { planned, stage: stored?.lifecycleStage, stats: view.stats };
        }),
      );

      // Assess: orders count once per orderId; open serious complaints flag the customer
      for (const { planned, stage, stats } of results) {
        const entries = planned.steps.flatMap((s) => (s.kind === 'entry' ? [s] : []));
        const resolved = new Set(planned.steps.flatMap((s) => (s.kind === 'resolve' ? [s.key] : [])));
        const openSerious = entries.filter(
          (s) =>
            s.input.type === 'complaint' &&
            ['high', 'critical'].includes(s.input.severity) &&
            !(s.key && resolved.has(s.key)),
        ).length;
        expect(stage).toBe(planned.finalStage);
        expect(stats.ordersCount).toBe(
          new Set(entries.flatMap((s) => (s.input.type === 'order' ? [s.input.orderId] : []))).size,
        );
        expect(stats.openSeriousComplaints).toBe(openSerious);
        expect(stats.needsAttention === true).toBe(openSerious > 0);
      }
    });

    it('adds nothing when run again', async () => {
      // Act
      const again = await seed(options);

      // Assess
      expect(again).toMatchObject({
        companiesCreated: 0,
        customersCreated: 0,
        timelineEntries: 0,
        customersExisting: 6,
      });
    });

    it('does not seed a table that already has data', async () => {
      // Act
      const skipped = await seedIfEmpty(options);

      // Assess
      expect(skipped.seeded).toBe(false);
    });
  });
});
