/**
 * The audit log end to end on the local cloud (docs/adr/0009-audit-log.md): HTTP writes → DynamoDB
 * Local → table stream → `publish-domain-events` (the one stream reader) writes the audit entries
 * → `GET /audit` answers who changed what and when.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stamp } from '#shared/db/dynamo';
import { customerPartition } from '#shared/db/keys';
import { runWithRequestContext } from '#shared/http/request-context';
import { apiClient } from './support/api-client.ts';
import { startTestCloud, type TestCloud } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

const SALES_SUB = '5b6f0c1e-1111-4c3a-9c1d-0a0b0c0d0e0f';
const MARKETING_SUB = '9e8d7c6b-2222-4f1e-8d2c-1a2b3c4d5e6f';

let cloud: TestCloud;
let http: ReturnType<typeof apiClient>;

beforeAll(async () => {
  cloud = await startTestCloud({ tableName: 'audit-api' });
  if (!cloud.api) throw new Error('the test cloud has no API');
  http = apiClient(cloud.api);
});

afterAll(async () => {
  await cloud?.close();
});

const unique = () => `${Date.now()}.${Math.random().toString(36).slice(2, 8)}`;

const createCustomer = async (sub: string, role: 'sales' | 'marketing' = 'sales'): Promise<Json> => {
  const res = await http.post<Json>(
    '/customers',
    { firstName: 'Ada', lastName: 'Lovelace', emails: [{ address: `ada.${unique()}@example.com` }] },
    { role, sub },
  );
  expect(res.status).toBe(201);
  return res.body;
};

/** Polls `path` (as an admin) until `done` holds for the body; the stream poller runs every 100 ms. */
const waitForAudit = async (
  path: string,
  done: (body: Json) => boolean,
  timeoutMs = 8_000,
): Promise<Json> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await http.get<Json>(path);
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline)
      throw new Error(`audit never satisfied the condition: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
};

describe('GET /audit (issue 7, part C)', () => {
  it('answers who changed the customer’s lifecycle stage and when, with role, correlation id and source IP', async () => {
    // Prepare
    const customer = await createCustomer(SALES_SUB);
    const before = Date.now();

    // Act
    const patched = await http.patch<Json>(
      `/customers/${customer.id}`,
      { lifecycleStage: 'prospect', version: customer.version },
      { role: 'sales', sub: SALES_SUB, headers: { 'x-correlation-id': 'walkthrough-stage-change' } },
    );
    expect(patched.status).toBe(200);
    const trail = await waitForAudit(`/audit?entityType=customer&entityId=${customer.id}`, (body) =>
      body.items.some((e: Json) => e.item === 'customer' && e.action === 'updated'),
    );

    // Assess
    const change = trail.items.find((e: Json) => e.item === 'customer' && e.action === 'updated');
    expect(change).toMatchObject({
      actor: { type: 'user', id: SALES_SUB },
      roles: ['sales'],
      correlationId: 'walkthrough-stage-change',
      entityType: 'customer',
      entityId: customer.id,
      version: patched.body.version,
    });
    expect(change.changedFields).toContain('lifecycleStage');
    expect(change.sourceIp).toMatch(/^(::1|127\.0\.0\.1|::ffff:127\.0\.0\.1)$/);
    expect(Date.parse(change.at)).toBeGreaterThanOrEqual(before - 1_000);
    // Names only: the new stage's value is in no entry.
    expect(JSON.stringify(trail)).not.toContain('prospect');
    // Newest first: the edit comes before the creation.
    const actions = trail.items.filter((e: Json) => e.item === 'customer').map((e: Json) => e.action);
    expect(actions).toEqual(['updated', 'created']);
  });

  it('records the lifecycle-change timeline entry on the customer’s trail as the same caller', async () => {
    // Prepare
    const customer = await createCustomer(SALES_SUB);

    // Act
    await http.patch(
      `/customers/${customer.id}`,
      { lifecycleStage: 'customer', version: customer.version },
      { role: 'sales', sub: SALES_SUB },
    );
    const trail = await waitForAudit(
      `/audit?entityType=customer&entityId=${customer.id}`,
      (body) => body.items.filter((e: Json) => e.item === 'timelineEntry').length >= 2,
    );

    // Assess
    const entries = trail.items.filter((e: Json) => e.item === 'timelineEntry');
    expect(entries.every((e: Json) => e.actor.id === SALES_SUB && e.action === 'created')).toBe(true);
    expect(entries.every((e: Json) => typeof e.itemId === 'string')).toBe(true);
  });

  it('pages one actor’s writes across the shards, newest first, without gaps or repeats', async () => {
    // Prepare
    const created: Json[] = [];
    for (let i = 0; i < 5; i++) created.push(await createCustomer(MARKETING_SUB, 'marketing'));
    const ids = new Set(created.map((c) => c.id));
    await waitForAudit(
      `/audit?actor=${MARKETING_SUB}&limit=200`,
      (body) => body.items.filter((e: Json) => e.item === 'customer' && ids.has(e.entityId)).length === 5,
    );
    // The stream publisher writes the creations' other entries (their lifecycle timeline entries)
    // as it gets to them: wait until the actor's trail stops growing before paging through it.
    for (let previous = -1, stable = 0; stable < 3; ) {
      const count = (await http.get<Json>(`/audit?actor=${MARKETING_SUB}&limit=200`)).body.items.length;
      stable = count === previous ? stable + 1 : 0;
      previous = count;
      await new Promise((done) => setTimeout(done, 200));
    }

    // Act
    const seen: Json[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/audit?actor=${MARKETING_SUB}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res: { status: number; body: Json } = await http.get<Json>(query);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);

    // Assess
    const all = await http.get<Json>(`/audit?actor=${MARKETING_SUB}&limit=200`);
    expect(pages).toBeGreaterThan(1);
    expect(seen.map((e) => e.auditId)).toEqual(all.body.items.map((e: Json) => e.auditId));
    expect(new Set(seen.map((e) => e.auditId)).size).toBe(seen.length);
    const times = seen.map((e) => `${e.at}#${e.auditId}`);
    expect(times).toEqual([...times].sort().reverse());
    expect(seen.every((e) => e.actor.id === MARKETING_SUB)).toBe(true);
    expect(seen.filter((e) => e.item === 'customer' && ids.has(e.entityId))).toHaveLength(5);
  });

  it('records an erasure and the purge, and keeps them without the erased data', async () => {
    // Prepare
    const customer = await createCustomer(SALES_SUB);
    const email = customer.emails[0].address as string;
    const adminSub = 'a1d2m3i4-3333-4b5c-8d9e-0f1a2b3c4d5e';
    // The tombstone of agreement 2 (part B writes it from POST /customers/{id}/erase).
    const tombstone = () =>
      stamp({
        pk: customerPartition(customer.id),
        sk: 'TOMBSTONE',
        entity: 'customerTombstone',
        customerId: customer.id,
        reason: 'erasure',
        requestedAt: new Date().toISOString(),
        requestedBy: adminSub,
      });

    // Act
    await runWithRequestContext({ actor: { type: 'user', id: adminSub }, roles: ['admin'] }, () =>
      cloud.table.doc.send(new PutCommand({ TableName: cloud.table.tableName, Item: tombstone() })),
    );
    const deleted = await http.del(`/customers/${customer.id}`, {
      headers: { 'if-match': `"${customer.version}"` },
    });
    expect(deleted.status).toBe(204);
    const trail = await waitForAudit(`/audit?entityType=customer&entityId=${customer.id}`, (body) =>
      ['erased', 'purged'].every((action) => body.items.some((e: Json) => e.action === action)),
    );

    // Assess
    const erased = trail.items.find((e: Json) => e.action === 'erased');
    expect(erased).toMatchObject({
      actor: { type: 'user', id: adminSub },
      reason: 'erasure',
      item: 'customerTombstone',
    });
    const text = JSON.stringify(trail);
    for (const personal of [email, 'Ada', 'Lovelace']) expect(text).not.toContain(personal);
  });

  it('is for admins only: other roles get 403', async () => {
    // Act
    const res = await http.get<Json>(`/audit?actor=${SALES_SUB}`, { role: 'sales' });

    // Assess
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('takes exactly one of the two forms: both or neither is a 400 with field errors', async () => {
    // Act
    const both = await http.get<Json>(`/audit?actor=${SALES_SUB}&entityType=customer&entityId=x`);
    const neither = await http.get<Json>('/audit');
    const half = await http.get<Json>('/audit?entityType=customer');

    // Assess
    expect(both.status).toBe(400);
    expect(both.body.errors.map((e: Json) => e.path)).toContain('query.actor');
    expect(neither.status).toBe(400);
    expect(half.status).toBe(400);
    expect(half.body.errors.map((e: Json) => e.path)).toContain('query.entityId');
  });
});
