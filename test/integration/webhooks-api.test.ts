/**
 * Webhook subscriptions end to end: local API Gateway → webhooks area function → DynamoDB Local.
 * Stage `test` (like staging/prod): https only, no private addresses.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDeps } from '#shared/deps';
import { apiClient } from './support/api-client.ts';
import { startTestApi, type TestApi, type TestTable, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

let api: TestApi;
let table: TestTable;
let http: ReturnType<typeof apiClient>;

beforeAll(async () => {
  table = await useTestTable('webhooks-api');
  api = await startTestApi();
  http = apiClient(api);
});

afterAll(async () => {
  await api?.close();
});

const subscribe = async (body: Json = {}) => {
  const res = await http.post<Json>('/webhooks', {
    url: 'https://hooks.example.com/relay',
    eventTypes: ['customer.created'],
    ...body,
  });
  expect(res.status).toBe(201);
  return res.body;
};

describe('Webhooks API', () => {
  it('creates a subscription and returns a generated secret once', async () => {
    // Act
    const created = await http.post<Json>('/webhooks', {
      url: 'https://hooks.example.com/relay',
      eventTypes: ['customer.created', 'company.created'],
      description: 'ERP sync',
    });
    const fetched = await http.get<Json>(`/webhooks/${created.body.id}`);

    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/webhooks/${created.body.id}`);
    expect(created.body).toMatchObject({
      url: 'https://hooks.example.com/relay',
      eventTypes: ['customer.created', 'company.created'],
      description: 'ERP sync',
      active: true,
      version: 1,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(
      Object.fromEntries(Object.entries(created.body).filter(([k]) => k !== 'secret')),
    );
    expect(fetched.body).not.toHaveProperty('secret');
  });

  it('keeps a caller-chosen secret and never lists secrets', async () => {
    // Prepare
    const secret = 'my-own-secret-that-is-long-enough-0123456789';

    // Act
    const created = await subscribe({ secret, eventTypes: ['*'] });
    const list = await http.get<Json>('/webhooks?limit=200');

    // Assess
    expect(created.secret).toBe(secret);
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: Json) => w.id)).toContain(created.id);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.items.every((w: Json) => !('secret' in w))).toBe(true);
  });

  it('pages through subscriptions with a signed cursor', async () => {
    // Prepare
    await subscribe();
    await subscribe();

    // Act
    const first = await http.get<Json>('/webhooks?limit=1');
    const second = await http.get<Json>(
      `/webhooks?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );

    // Assess
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it.each([
    [{ url: 'http://hooks.example.com/relay', eventTypes: ['*'] }, 'body.url'],
    [{ url: 'https://127.0.0.1/relay', eventTypes: ['*'] }, 'body.url'],
    [{ url: 'https://169.254.169.254/latest', eventTypes: ['*'] }, 'body.url'],
    [{ url: 'https://[::ffff:10.0.0.1]/relay', eventTypes: ['*'] }, 'body.url'],
    [{ url: 'https://localhost/relay', eventTypes: ['*'] }, 'body.url'],
    [{ url: 'not a url', eventTypes: ['*'] }, 'body.url'],
    [{ url: 'https://hooks.example.com/relay', eventTypes: [] }, 'body.eventTypes'],
    [{ url: 'https://hooks.example.com/relay', eventTypes: ['customer.exploded'] }, 'body.eventTypes[0]'],
    [{ url: 'https://hooks.example.com/relay', eventTypes: ['*', '*'] }, 'body.eventTypes'],
    [{ url: 'https://hooks.example.com/relay', eventTypes: ['*'], secret: 'short' }, 'body.secret'],
    [{ url: 'https://hooks.example.com/relay', eventTypes: ['*'], extra: 1 }, 'body.extra'],
  ])('rejects %j with 400 at %s', async (body, path) => {
    // Act
    const res = await http.post<Json>('/webhooks', body);

    // Assess
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: Json) => e.path)).toContain(path);
  });

  it.each(['sales', 'support', 'marketing', 'analyst'] as const)(
    'forbids the %s role (admin only)',
    async (role) => {
      // Prepare
      const created = await subscribe();

      // Act
      const responses = await Promise.all([
        http.post('/webhooks', { url: 'https://hooks.example.com/x', eventTypes: ['*'] }, { role }),
        http.get('/webhooks', { role }),
        http.get(`/webhooks/${created.id}`, { role }),
        http.del(`/webhooks/${created.id}`, { role, headers: { 'if-match': '"1"' } }),
        http.get(`/webhooks/${created.id}/deliveries`, { role }),
      ]);

      // Assess
      expect(responses.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    },
  );

  it('answers 401 without a token', async () => {
    // Act
    const res = await http.get('/webhooks', { token: null });

    // Assess
    expect(res.status).toBe(401);
  });

  it('replays POST with the same Idempotency-Key: one subscription, the secret withheld from the replay', async () => {
    // Prepare
    const body = { url: 'https://hooks.example.com/idem', eventTypes: ['*'] };
    const headers = { 'idempotency-key': `wh-${Date.now()}` };

    // Act
    const first = await http.post<Json>('/webhooks', body, { headers });
    const second = await http.post<Json>('/webhooks', body, { headers });

    // Assess
    expect(first.status).toBe(201);
    expect(first.body.secret).toMatch(/^whsec_/);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const { secret: _secret, ...withoutSecret } = first.body;
    expect(second.body).toEqual(withoutSecret);
  });

  it('keeps no signing secret in plaintext anywhere in the table (sealed under KMS, bound to the webhook)', async () => {
    // Prepare
    const secret = 'caller-chosen-secret-that-must-never-be-stored-0123';
    const headers = { 'idempotency-key': `wh-plain-${Date.now()}` };

    // Act
    const created = await http.post<Json>(
      '/webhooks',
      { url: 'https://hooks.example.com/sealed', eventTypes: ['*'], secret },
      { headers },
    );
    const items = (await table.doc.send(new ScanCommand({ TableName: table.tableName }))).Items ?? [];

    // Assess
    expect(created.body.secret).toBe(secret);
    const stored = items.find((item) => item.entity === 'webhook' && item.id === created.body.id);
    expect(stored?.sealedSecret).toMatch(/^kms1\./);
    expect(stored).not.toHaveProperty('secret');
    expect(JSON.stringify(items)).not.toContain(secret);
    expect(JSON.stringify(items)).not.toContain(Buffer.from(secret).toString('base64'));
  });

  it('deletes with If-Match (428 without, 412 on a stale version) and then answers 404', async () => {
    // Prepare
    const created = await subscribe();

    // Act
    const missing = await http.del(`/webhooks/${created.id}`);
    const stale = await http.del(`/webhooks/${created.id}`, { headers: { 'if-match': '"7"' } });
    const deleted = await http.del(`/webhooks/${created.id}`, { headers: { 'if-match': '"1"' } });
    const after = await http.get(`/webhooks/${created.id}`);
    const deliveries = await http.get(`/webhooks/${created.id}/deliveries`);

    // Assess
    expect([missing.status, stale.status, deleted.status]).toEqual([428, 412, 204]);
    expect(after.status).toBe(404);
    expect(deliveries.status).toBe(404);
  });

  it('lists deliveries newest first, filters by status, and pages with a cursor', async () => {
    // Prepare
    const created = await subscribe();
    const { webhooks } = appDeps();
    const ids = ['01JG0000000000000000000001', '01JG0000000000000000000002', '01JG0000000000000000000003'];
    for (const [index, id] of ids.entries()) {
      await webhooks.createDelivery(
        {
          id,
          webhookId: created.id,
          eventId: `${index}`.padStart(32, '0'),
          detailType: 'customer.created',
          status: 'pending',
          attempts: 0,
          lastStatusCode: null,
          lastError: null,
          createdAt: '2026-11-23T10:00:00.000Z',
          updatedAt: '2026-11-23T10:00:00.000Z',
        },
        {
          eventId: `${index}`.padStart(32, '0'),
          detailType: 'customer.created',
          source: 'relay.customers',
          occurredAt: '2026-11-23T10:00:00.000Z',
          detail: { customerId: id },
        },
      );
    }
    await webhooks.recordAttempt(created.id, ids[0] as string, {
      statusCode: 500,
      error: 'HTTP 500',
      at: '2026-11-23T10:01:00.000Z',
    });
    await webhooks.finish(created.id, ids[0] as string, 'dead_lettered', '2026-11-23T11:00:00.000Z');

    // Act
    const all = await http.get<Json>(`/webhooks/${created.id}/deliveries`);
    const dead = await http.get<Json>(`/webhooks/${created.id}/deliveries?status=dead_lettered`);
    const pending = await http.get<Json>(`/webhooks/${created.id}/deliveries?status=pending&limit=1`);
    const next = await http.get<Json>(
      `/webhooks/${created.id}/deliveries?status=pending&limit=1&cursor=${encodeURIComponent(pending.body.nextCursor)}`,
    );
    const badStatus = await http.get<Json>(`/webhooks/${created.id}/deliveries?status=lost`);

    // Assess
    expect(all.body.items.map((d: Json) => d.id)).toEqual([...ids].reverse());
    expect(dead.body.items).toEqual([
      expect.objectContaining({
        id: ids[0],
        status: 'dead_lettered',
        attempts: 1,
        lastStatusCode: 500,
        lastError: 'HTTP 500',
      }),
    ]);
    expect(pending.body.items.map((d: Json) => d.id)).toEqual([ids[2]]);
    expect(next.body.items.map((d: Json) => d.id)).toEqual([ids[1]]);
    expect(badStatus.status).toBe(400);
  });

  it('rejects a cursor issued for another subscription’s deliveries', async () => {
    // Prepare
    const a = await subscribe();
    const b = await subscribe();
    const cursor = (await http.get<Json>('/webhooks?limit=1')).body.nextCursor;

    // Act
    const res = await http.get<Json>(`/webhooks/${b.id}/deliveries?cursor=${encodeURIComponent(cursor)}`);

    // Assess
    expect(a.id).not.toBe(b.id);
    expect(res.status).toBe(400);
  });
});
