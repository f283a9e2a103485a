/**
 * The customer record slice end to end: local API Gateway → area functions → DynamoDB Local.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmailKey } from '#shared/db/keys';
import { apiClient, recordDynamoCommands } from './support/api-client.ts';
import { startTestApi, type TestApi, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

let api: TestApi;
let http: ReturnType<typeof apiClient>;
let recorder: ReturnType<typeof recordDynamoCommands>;
let table: Awaited<ReturnType<typeof useTestTable>>;
let n = 0;
const email = () => `person${++n}.${Date.now()}@example.com`;

beforeAll(async () => {
  table = await useTestTable('customers-api');
  api = await startTestApi();
  http = apiClient(api);
  recorder = recordDynamoCommands();
});

afterAll(async () => {
  await api?.close();
});

const createCustomer = async (body: Json = {}, role: 'admin' | 'sales' = 'sales', sub?: string) => {
  const res = await http.post<Json>(
    '/customers',
    { firstName: 'Ada', lastName: 'Lovelace', emails: [{ address: email() }], ...body },
    { role, sub },
  );
  expect(res.status).toBe(201);
  return res.body;
};

describe('Customers API', () => {
  it('creates a customer, appends an order and a complaint, and serves the 360 view', async () => {
    // Prepare
    const customer = await createCustomer({
      lifecycleStage: 'prospect',
      phones: [{ number: '+4930123456' }],
    });

    // Act
    const order = await http.post<Json>(`/customers/${customer.id}/timeline`, {
      type: 'order',
      amount: 120.5,
      currency: 'EUR',
      items: [{ sku: 'SKU-1', quantity: 2, unitPrice: 60.25 }],
    });
    const complaint = await http.post<Json>(`/customers/${customer.id}/timeline`, {
      type: 'complaint',
      severity: 'high',
      channel: 'phone',
      subject: 'Parcel arrived damaged',
    });
    const view = await http.get<Json>(`/customers/${customer.id}/view`);

    // Assess
    expect(order.status).toBe(201);
    expect(complaint.status).toBe(201);
    expect(view.status).toBe(200);
    expect(view.body.customer.id).toBe(customer.id);
    expect(view.body.customer.lifecycleStage).toBe('customer');
    expect(view.body.stats).toMatchObject({
      ordersCount: 1,
      revenue: { EUR: 120.5 },
      openComplaints: 1,
      complaintsCount: 1,
      lastContactAt: complaint.body.occurredAt,
      lastOrderAt: order.body.occurredAt,
    });
    expect(view.body.latest.map((e: Json) => e.type)).toEqual([
      'complaint',
      'lifecycle_change',
      'order',
      'lifecycle_change',
    ]);
    expect(view.body.latest[1]).toMatchObject({ from: 'prospect', to: 'customer', reason: 'first order' });
    expect(view.body.latest[3]).toMatchObject({ from: null, to: 'prospect', reason: 'created' });
  });

  it('records the authenticated caller as the actor of an entry, the client-stated source beside it', async () => {
    // Prepare
    const customer = await createCustomer({}, 'sales', 'rep-a');

    // Act
    const visit = await http.post<Json>(
      `/customers/${customer.id}/timeline`,
      { type: 'web_visit', url: 'https://example.com/pricing', source: { type: 'customer' } },
      { role: 'support', sub: 'agent-7' },
    );
    const spoofed = await http.post<Json>(
      `/customers/${customer.id}/timeline`,
      { type: 'note', body: 'Looks fine', actor: { type: 'user', id: 'rep-a' } },
      { role: 'support', sub: 'agent-7' },
    );
    const stored = await http.get<Json>(`/customers/${customer.id}/timeline/${visit.body.id}`);

    // Assess
    expect(visit.status).toBe(201);
    expect(stored.body).toMatchObject({
      actor: { type: 'user', id: 'agent-7' },
      source: { type: 'customer' },
    });
    expect(spoofed.status).toBe(400);
    expect(spoofed.body.errors.map((e: Json) => e.path)).toEqual(['body.actor']);
  });

  it('answers every Location header it sends with the created resource', async () => {
    // Prepare
    const created = await http.post<Json>('/customers', { firstName: 'Loc', emails: [{ address: email() }] });
    const id = created.body.id;
    const order = { type: 'order', orderId: `L-${id}`, amount: 10, currency: 'EUR' };

    // Act
    const responses = [
      created,
      await http.post<Json>(`/customers/${id}/timeline`, { type: 'note', body: 'Hello' }),
      await http.post<Json>(`/customers/${id}/timeline`, order),
      await http.post<Json>(`/customers/${id}/timeline`, { ...order, status: 'shipped' }),
      await http.post<Json>('/companies', { name: 'Loc AG' }),
      await http.post<Json>(`/customers/${id}/erase`, { reason: 'data_subject_request' }),
    ];
    const followed = await Promise.all(
      responses.map(async (res) => {
        const location = res.headers.get('location') ?? '(none)';
        const target = await http.get<Json>(location);
        const resource = res.body.id ?? res.body.customerId;
        return {
          location,
          status: target.status,
          sameId: (target.body.id ?? target.body.customerId) === resource,
        };
      }),
    );

    // Assess
    expect(responses.map((res) => res.status)).toEqual([201, 201, 201, 201, 201, 202]);
    for (const target of followed)
      expect(target, target.location).toMatchObject({ status: 200, sameId: true });
  });

  it('serves the 360 view with exactly one DynamoDB Query', async () => {
    // Prepare
    const customer = await createCustomer();
    for (let i = 0; i < 12; i++) {
      await http.post(`/customers/${customer.id}/timeline`, { type: 'note', body: `note ${i}` });
    }
    recorder.reset();

    // Act
    const view = await http.get<Json>(`/customers/${customer.id}/view?latest=5`);

    // Assess
    expect(view.status).toBe(200);
    expect(recorder.commands).toEqual(['QueryCommand']);
    expect(view.body.latest).toHaveLength(5);
    expect(view.body.stats.entryCounts.note).toBe(12);
  });

  it('pages through /customers with cursors, newest first, without duplicates or gaps', async () => {
    // Prepare
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await createCustomer()).id);
    const seen: string[] = [];

    // Act
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Json } = await http.get<Json>(
        `/customers?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((c: Json) => c.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);

    // Assess
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of created) expect(seen).toContain(id);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect(recorder.commands).not.toContain('ScanCommand');
  });

  it('rejects a tampered cursor with 400', async () => {
    // Prepare
    await createCustomer();
    await createCustomer();
    const first = await http.get<Json>('/customers?limit=1');
    const cursor = String(first.body.nextCursor);
    const tampered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;

    // Act
    const res = await http.get<Json>(`/customers?limit=1&cursor=${encodeURIComponent(tampered)}`);

    // Assess
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors[0].path).toBe('query.cursor');
  });

  it('looks a customer up by any of their email addresses, case-insensitively', async () => {
    // Prepare
    const address = email();
    const customer = await createCustomer({
      emails: [{ address: `work.${address}` }, { address, primary: true }],
    });

    // Act
    const res = await http.get<Json>(`/customers?email=${encodeURIComponent(`WORK.${address}`)}`);
    const none = await http.get<Json>(`/customers?email=${encodeURIComponent(`nobody.${address}`)}`);

    // Assess
    expect(res.body.items.map((c: Json) => c.id)).toEqual([customer.id]);
    expect(res.body.items[0].primaryEmail).toBe(address);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('answers two concurrent creates with the same email with exactly one 201 and one 409', async () => {
    for (let round = 0; round < 4; round++) {
      // Prepare
      const address = email();

      // Act
      const results = await Promise.all(
        [0, 1].map((i) =>
          http.post<Json>(
            '/customers',
            { firstName: `Racer ${i}`, emails: [{ address }] },
            { role: 'sales' },
          ),
        ),
      );

      // Assess
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      const lookup = await http.get<Json>(`/customers?email=${encodeURIComponent(address)}`);
      expect(lookup.body.items).toHaveLength(1);
    }
  });

  it('rejects a PATCH with a stale version with 412 and leaves the record unchanged', async () => {
    // Prepare
    const customer = await createCustomer({}, 'sales', 'owner-1');
    const first = await http.patch<Json>(
      `/customers/${customer.id}`,
      { jobTitle: 'CTO' },
      { role: 'sales', sub: 'owner-1', headers: { 'if-match': '"1"' } },
    );
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');

    // Act
    const stale = await http.patch<Json>(
      `/customers/${customer.id}`,
      { jobTitle: 'CEO', version: 1 },
      { role: 'sales', sub: 'owner-1' },
    );
    const stored = await http.get<Json>(`/customers/${customer.id}`);

    // Assess
    expect(stale.status).toBe(412);
    expect(stale.body.type).toContain('version-mismatch');
    expect(stored.body).toEqual(first.body);
  });

  it('requires If-Match or version for PATCH and DELETE (428)', async () => {
    const customer = await createCustomer({}, 'admin');
    const patch = await http.patch<Json>(`/customers/${customer.id}`, { jobTitle: 'CTO' });
    const del = await http.del<Json>(`/customers/${customer.id}`);
    expect(patch.status).toBe(428);
    expect(del.status).toBe(428);
  });

  it('replays a POST with the same Idempotency-Key: same response, one record; another body → 422', async () => {
    // Prepare
    const address = email();
    const body = { firstName: 'Idem', emails: [{ address }] };
    const headers = { 'idempotency-key': `key-${address}` };

    // Act
    const first = await http.post<Json>('/customers', body, { role: 'sales', sub: 'idem-user', headers });
    const replay = await http.post<Json>('/customers', body, { role: 'sales', sub: 'idem-user', headers });
    const reuse = await http.post<Json>(
      '/customers',
      { ...body, firstName: 'Other' },
      { role: 'sales', sub: 'idem-user', headers },
    );
    const otherUser = await http.post<Json>('/customers', body, {
      role: 'sales',
      sub: 'someone-else',
      headers,
    });

    // Assess
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(reuse.status).toBe(422);
    expect(reuse.body.type).toContain('idempotency-key-reuse');
    expect(otherUser.status).toBe(409); // keys are scoped per caller: a new request, and the email is taken
    const lookup = await http.get<Json>(`/customers?email=${encodeURIComponent(address)}`);
    expect(lookup.body.items).toHaveLength(1);
  });

  it('filters the timeline by type and time range, newest first, with cursors', async () => {
    // Prepare
    const customer = await createCustomer();
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let day = 0; day < 6; day++) {
      const occurredAt = new Date(base + day * 86_400_000).toISOString();
      await http.post(`/customers/${customer.id}/timeline`, {
        type: 'call',
        direction: 'inbound',
        durationSeconds: 60,
        outcome: 'connected',
        occurredAt,
      });
      await http.post(`/customers/${customer.id}/timeline`, {
        type: 'web_visit',
        url: 'https://shop.example.com/',
        occurredAt,
      });
    }

    // Act
    const calls = await http.get<Json>(
      `/customers/${customer.id}/timeline?type=call&from=2026-01-02T00:00:00Z&to=2026-01-04T23:59:59Z&limit=2`,
    );
    const next = await http.get<Json>(
      `/customers/${customer.id}/timeline?type=call&from=2026-01-02T00:00:00Z&to=2026-01-04T23:59:59Z&limit=2&cursor=${encodeURIComponent(calls.body.nextCursor)}`,
    );
    const all = await http.get<Json>(`/customers/${customer.id}/timeline?limit=200`);
    const wrongScope = await http.get<Json>(
      `/customers/${customer.id}/timeline?type=web_visit&limit=2&cursor=${encodeURIComponent(calls.body.nextCursor)}`,
    );

    // Assess
    const days = [...calls.body.items, ...next.body.items].map((e: Json) => e.occurredAt.slice(0, 10));
    expect(days).toEqual(['2026-01-04', '2026-01-03', '2026-01-02']);
    expect(all.body.items).toHaveLength(13); // 6 calls, 6 visits and the initial lifecycle entry
    const times = all.body.items.map((e: Json) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(wrongScope.status).toBe(400);
  });

  it('keeps a first order that races a concurrent profile edit (4 races), whichever write goes first', async () => {
    for (let round = 0; round < 4; round++) {
      // Prepare
      const customer = await createCustomer({ lifecycleStage: 'lead' }, 'admin');

      // Act
      const [edit, order] = await Promise.all([
        http.patch<Json>(
          `/customers/${customer.id}`,
          { jobTitle: `Buyer ${round}` },
          { headers: { 'if-match': '"1"' } },
        ),
        http.post<Json>(`/customers/${customer.id}/timeline`, { type: 'order', amount: 10, currency: 'EUR' }),
      ]);
      const after = await http.get<Json>(`/customers/${customer.id}/view`);

      // Assess
      expect(order.status).toBe(201);
      expect([200, 412]).toContain(edit.status);
      expect(after.body.customer.lifecycleStage).toBe('customer');
      expect(after.body.stats.ordersCount).toBe(1);
    }
  });

  it('records lifecycle changes on the timeline and rejects invalid transitions with 409', async () => {
    // Prepare
    const customer = await createCustomer({ lifecycleStage: 'lead' }, 'admin');

    // Act
    const promoted = await http.patch<Json>(
      `/customers/${customer.id}`,
      { lifecycleStage: 'prospect' },
      { headers: { 'if-match': '"1"' } },
    );
    const backwards = await http.patch<Json>(
      `/customers/${customer.id}`,
      { lifecycleStage: 'subscriber' },
      { headers: { 'if-match': '"2"' } },
    );
    const changes = await http.get<Json>(`/customers/${customer.id}/timeline?type=lifecycle_change`);

    // Assess
    expect(promoted.status).toBe(200);
    expect(backwards.status).toBe(409);
    expect(changes.body.items).toHaveLength(2);
    expect(changes.body.items[0]).toMatchObject({ type: 'lifecycle_change', from: 'lead', to: 'prospect' });
    expect(changes.body.items[1]).toMatchObject({ type: 'lifecycle_change', from: null, to: 'lead' });
  });

  it('lets only the owner or an admin change a customer, and only admins assign owners', async () => {
    // Prepare
    const customer = await createCustomer({}, 'sales', 'rep-a');

    // Act
    const other = await http.patch<Json>(
      `/customers/${customer.id}`,
      { jobTitle: 'X' },
      { role: 'sales', sub: 'rep-b', headers: { 'if-match': '"1"' } },
    );
    const assign = await http.post<Json>(
      '/customers',
      { firstName: 'Z', ownerId: 'rep-c' },
      { role: 'sales', sub: 'rep-a' },
    );
    const admin = await http.patch<Json>(
      `/customers/${customer.id}`,
      { ownerId: 'rep-b' },
      { role: 'admin', headers: { 'if-match': '"1"' } },
    );

    // Assess
    expect(other.status).toBe(403);
    expect(assign.status).toBe(403);
    expect(assign.body.errors[0].path).toBe('body.ownerId');
    expect(admin.status).toBe(200);
    expect(admin.body.ownerId).toBe('rep-b');
  });

  it('leaves an unowned customer unowned when a non-admin edits it, and refuses a claim', async () => {
    // Prepare
    const unowned = await createCustomer({}, 'admin');

    // Act
    const edited = await http.patch<Json>(
      `/customers/${unowned.id}`,
      { jobTitle: 'Buyer' },
      { role: 'sales', sub: 'rep-a', headers: { 'if-match': '"1"' } },
    );
    const claimed = await http.patch<Json>(
      `/customers/${unowned.id}`,
      { ownerId: 'rep-a' },
      { role: 'sales', sub: 'rep-a', headers: { 'if-match': '"2"' } },
    );

    // Assess
    expect(unowned.ownerId).toBeUndefined();
    expect(edited.status).toBe(200);
    expect(edited.body.ownerId).toBeUndefined();
    expect(claimed.status).toBe(403);
    expect(claimed.body.errors[0].path).toBe('body.ownerId');
  });

  it('enforces role scopes per route', async () => {
    const customer = await createCustomer();
    const analystWrite = await http.post<Json>('/customers', { firstName: 'No' }, { role: 'analyst' });
    const analystRead = await http.get<Json>(`/customers/${customer.id}`, { role: 'analyst' });
    const marketingDelete = await http.del<Json>(`/customers/${customer.id}`, {
      role: 'marketing',
      headers: { 'if-match': '"1"' },
    });
    const supportAppend = await http.post<Json>(
      `/customers/${customer.id}/timeline`,
      { type: 'support_request', subject: 'Help' },
      { role: 'support' },
    );
    const noToken = await http.get<Json>('/customers', { token: null });
    const badToken = await http.get<Json>('/customers', { token: 'not-a-jwt' });
    expect(analystWrite.status).toBe(403);
    expect(analystRead.status).toBe(200);
    expect(marketingDelete.status).toBe(403);
    expect(supportAppend.status).toBe(201);
    expect(noToken.status).toBe(401);
    expect(badToken.status).toBe(401);
    for (const res of [analystWrite, marketingDelete, noToken, badToken]) {
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('answers each of these bad inputs with its problem+json status, none of them with a 500', async () => {
    const customer = await createCustomer();
    const cases: Array<[string, Promise<{ status: number; body: Json }>, number]> = [
      ['unknown field', http.post<Json>('/customers', { firstName: 'A', id: 'x', version: 9 }), 400],
      ['bad email', http.post<Json>('/customers', { emails: [{ address: 'not-an-email' }] }), 400],
      ['bad phone', http.post<Json>('/customers', { firstName: 'A', phones: [{ number: '12' }] }), 400],
      ['bad stage', http.post<Json>('/customers', { firstName: 'A', lifecycleStage: 'vip' }), 400],
      ['bad timezone', http.post<Json>('/customers', { firstName: 'A', timezone: 'Mars/Base' }), 400],
      ['empty', http.post<Json>('/customers', {}), 400],
      ['malformed json', http.call<Json>('POST', '/customers', { body: '{"firstName":' }), 400],
      ['array body', http.post<Json>('/customers', [1, 2]), 400],
      [
        'wrong content type',
        http.call<Json>('POST', '/customers', {
          body: 'firstName=A',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        415,
      ],
      ['too large', http.post<Json>('/customers', { firstName: 'A', source: 'x'.repeat(300_000) }), 413],
      ['bad id', http.get<Json>('/customers/not-a-ulid'), 400],
      ['missing', http.get<Json>('/customers/01JD8X3Q9Z7N6M5K4H3G2F1E0D'), 404],
      ['limit too big', http.get<Json>('/customers?limit=500'), 400],
      ['unknown query', http.get<Json>('/customers?sort=name'), 400],
      [
        'lifecycle entry',
        http.post<Json>(`/customers/${customer.id}/timeline`, { type: 'lifecycle_change', to: 'customer' }),
        400,
      ],
      [
        'future entry',
        http.post<Json>(`/customers/${customer.id}/timeline`, {
          type: 'note',
          body: 'x',
          occurredAt: '2999-01-01T00:00:00Z',
        }),
        400,
      ],
      [
        'nps out of range',
        http.post<Json>(`/customers/${customer.id}/timeline`, {
          type: 'survey_response',
          survey: 'q4',
          kind: 'nps',
          score: 11,
        }),
        400,
      ],
      [
        'bad if-match',
        http.patch<Json>(`/customers/${customer.id}`, { jobTitle: 'x' }, { headers: { 'if-match': 'abc' } }),
        400,
      ],
      [
        'unknown company',
        http.post<Json>('/customers', { firstName: 'A', companyId: '01JD8X3Q9Z7N6M5K4H3G2F1E0D' }),
        400,
      ],
      [
        'bad idempotency key',
        http.post<Json>(
          '/customers',
          { firstName: 'A' },
          { headers: { 'idempotency-key': 'x'.repeat(300) } },
        ),
        400,
      ],
      ['unknown route', http.get<Json>('/nope'), 404],
      ['wrong method', http.call<Json>('PUT', '/customers'), 405],
    ];
    for (const [name, pending, status] of cases) {
      const res = await pending;
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.body.status).toBe(status);
      expect(typeof res.body.correlationId === 'string' || status === 405 || status === 404).toBe(true);
    }
    const invalid = await http.post<Json>('/customers', {
      firstName: 'A',
      emails: [{ address: 'nope' }],
      id: 'x',
    });
    expect(invalid.body.errors.map((e: Json) => e.path).sort()).toEqual([
      'body.emails[0].address',
      'body.id',
    ]);
  });

  it('deletes a customer to the recycle bin: hidden with their timeline, their email still reserved', async () => {
    // Prepare
    const address = email();
    const customer = await createCustomer({ emails: [{ address }] }, 'admin');
    for (let i = 0; i < 30; i++)
      await http.post(`/customers/${customer.id}/timeline`, { type: 'note', body: `n${i}` });

    // Act
    const del = await http.del<Json>(`/customers/${customer.id}`, { headers: { 'if-match': '"1"' } });
    const get = await http.get<Json>(`/customers/${customer.id}`);
    const timeline = await http.get<Json>(`/customers/${customer.id}/timeline`);
    const again = await http.post<Json>('/customers', { firstName: 'New', emails: [{ address }] });

    // Assess
    expect(del.status).toBe(204);
    expect(get.status).toBe(404);
    expect(timeline.status).toBe(404);
    // Restorable until purged (test/integration/erasure.test.ts), so the address stays taken.
    expect(again.status).toBe(409);
  });

  it('deletes a customer even when one of their email guards is already gone', async () => {
    // Prepare
    const address = email();
    const customer = await createCustomer({ emails: [{ address }] }, 'admin');
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: uniqueEmailKey(address) }));

    // Act
    const del = await http.del<Json>(`/customers/${customer.id}`, { headers: { 'if-match': '"1"' } });

    // Assess
    expect(del.status).toBe(204);
    expect((await http.get<Json>(`/customers/${customer.id}`)).status).toBe(404);
  });

  it('validates custom attributes against the definitions admins manage', async () => {
    // Prepare
    const defs = await http.call<Json>('PUT', '/settings/customer-attributes', {
      body: {
        definitions: [
          { name: 'loyaltyTier', type: 'enum', options: ['bronze', 'silver', 'gold'] },
          { name: 'employees', type: 'number', min: 0 },
        ],
      },
    });
    expect(defs.status).toBe(200);

    // Act
    const good = await http.post<Json>('/customers', {
      firstName: 'A',
      attributes: { loyaltyTier: 'gold', employees: 12 },
    });
    const bad = await http.post<Json>('/customers', {
      firstName: 'A',
      attributes: { loyaltyTier: 'platinum', shoeSize: 44 },
    });
    const salesCannotDefine = await http.call<Json>('PUT', '/settings/customer-attributes', {
      role: 'sales',
      body: { definitions: [] },
    });

    // Assess
    expect(good.status).toBe(201);
    expect(good.body.attributes).toEqual({ loyaltyTier: 'gold', employees: 12 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual([
      'body.attributes.loyaltyTier',
      'body.attributes.shoeSize',
    ]);
    expect(salesCannotDefine.status).toBe(403);
  });
});
