/**
 * Orders aggregated per order and complaints that can be resolved, end to end: local API Gateway
 * → customers function → DynamoDB Local.
 */

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagCustomerForAttention } from '#shared/db/attention-store';
import { orderKey } from '#shared/db/keys';
import { apiClient, recordDynamoCommands } from './support/api-client.ts';
import { startTestApi, type TestApi, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

let api: TestApi;
let http: ReturnType<typeof apiClient>;
let recorder: ReturnType<typeof recordDynamoCommands>;
let table: Awaited<ReturnType<typeof useTestTable>>;
let n = 0;

beforeAll(async () => {
  table = await useTestTable('orders-complaints');
  api = await startTestApi();
  http = apiClient(api);
  recorder = recordDynamoCommands();
});

afterAll(async () => {
  await api?.close();
});

const createCustomer = async () => {
  const res = await http.post<Json>('/customers', {
    firstName: 'Grace',
    emails: [{ address: `orders${++n}.${Date.now()}@example.com` }],
  });
  expect(res.status).toBe(201);
  return res.body;
};

const at = (minute: number) => `2026-11-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

const orderEntry = (orderId: string, status: string, minute: number, amount = 100) => ({
  type: 'order',
  orderId,
  status,
  amount,
  currency: 'EUR',
  occurredAt: at(minute),
});

const stats = async (id: string): Promise<Json> => (await http.get<Json>(`/customers/${id}/view`)).body.stats;

describe('Orders per order', () => {
  it('counts an order once through its status changes and drops its revenue when refunded', async () => {
    // Prepare
    const customer = await createCustomer();
    const post = (body: Json) => http.post<Json>(`/customers/${customer.id}/timeline`, body);

    // Act
    for (const [status, minute] of [
      ['placed', 1],
      ['paid', 2],
      ['shipped', 3],
    ] as const) {
      expect((await post(orderEntry('A-1', status, minute))).status).toBe(201);
    }
    const afterShipping = await stats(customer.id);
    await post(orderEntry('B-2', 'placed', 4, 50));
    await post(orderEntry('A-1', 'refunded', 5));
    const afterRefund = await stats(customer.id);

    // Assess
    expect(afterShipping).toMatchObject({ ordersCount: 1, revenue: { EUR: 100 } });
    expect(afterRefund).toMatchObject({ ordersCount: 2, revenue: { EUR: 50 } });
    expect(afterRefund.entryCounts.order).toBe(5);
    const stored = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: orderKey(customer.id, 'A-1') }),
    );
    expect(stored.Item).toMatchObject({
      entity: 'order',
      orderId: 'A-1',
      status: 'refunded',
      counted: false,
      amountMinor: 10_000,
      currency: 'EUR',
      firstSeenAt: at(1),
      statusAt: at(5),
      version: 4,
    });
    expect(typeof stored.Item?.updatedAt).toBe('string');
  });

  it('keeps an older status update as history only (the newest status wins)', async () => {
    // Prepare
    const customer = await createCustomer();
    const post = (body: Json) => http.post<Json>(`/customers/${customer.id}/timeline`, body);
    await post(orderEntry('C-3', 'cancelled', 20));

    // Act: a late "paid" that happened before the cancellation
    const late = await post(orderEntry('C-3', 'paid', 10));

    // Assess
    expect(late.status).toBe(201);
    expect(await stats(customer.id)).toMatchObject({ ordersCount: 1, revenue: {} });
  });

  it('applies concurrent status updates of one order exactly once each', async () => {
    // Prepare
    const customer = await createCustomer();
    const post = (body: Json) => http.post<Json>(`/customers/${customer.id}/timeline`, body);
    await post(orderEntry('D-4', 'placed', 1));

    // Act
    const results = await Promise.all([
      post(orderEntry('D-4', 'paid', 2)),
      post(orderEntry('D-4', 'cancelled', 3)),
      post(orderEntry('E-5', 'placed', 4, 30)),
    ]);

    // Assess
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(await stats(customer.id)).toMatchObject({ ordersCount: 2, revenue: { EUR: 30 } });
  });

  it('keeps the 360 view one Query whose latest entries are not eaten by order items', async () => {
    // Prepare
    const customer = await createCustomer();
    for (let i = 0; i < 8; i++) {
      await http.post(`/customers/${customer.id}/timeline`, orderEntry(`F-${i}`, 'placed', i, 1));
    }
    recorder.reset();

    // Act
    const view = await http.get<Json>(`/customers/${customer.id}/view?latest=5`);

    // Assess
    expect(recorder.commands).toEqual(['QueryCommand']);
    expect(view.body.latest).toHaveLength(5);
    // Two lifecycle changes happened "now" (created, first order); then the newest orders, by time.
    expect(view.body.latest.map((e: Json) => e.orderId ?? e.type)).toEqual([
      'lifecycle_change',
      'lifecycle_change',
      'F-7',
      'F-6',
      'F-5',
    ]);
    expect(view.body.latest.every((e: Json) => typeof e.recordedAt === 'string')).toBe(true);
  });
});

describe('Complaints that can be resolved', () => {
  it('resolves a serious complaint: open counters drop and the attention flag clears', async () => {
    // Prepare
    const customer = await createCustomer();
    const created = await http.post<Json>(`/customers/${customer.id}/timeline`, {
      type: 'complaint',
      severity: 'critical',
      channel: 'phone',
      subject: 'Broken on arrival',
    });
    expect(created.headers.get('location')).toBe(`/customers/${customer.id}/timeline/${created.body.id}`);
    // The flag-serious-complaints consumer raises the flag from the event.
    await flagCustomerForAttention(table.doc, table.tableName, customer.id, {
      reason: 'critical complaint',
      since: created.body.occurredAt,
    });
    const flagged = await stats(customer.id);
    const entry = await http.get<Json>(created.headers.get('location') as string);

    // Act
    const resolved = await http.patch<Json>(
      `/customers/${customer.id}/timeline/${created.body.id}`,
      { status: 'resolved', resolution: 'Replaced the item' },
      { headers: { 'if-match': entry.headers.get('etag') as string }, role: 'support' },
    );
    const after = await stats(customer.id);
    const lateFlag = await flagCustomerForAttention(table.doc, table.tableName, customer.id, {
      reason: 'critical complaint',
      since: created.body.occurredAt,
    });

    // Assess
    expect(entry.status).toBe(200);
    expect(entry.body).toMatchObject({ id: created.body.id, status: 'open', version: 1 });
    expect(flagged).toMatchObject({ openComplaints: 1, openSeriousComplaints: 1, needsAttention: true });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'Replaced the item', version: 2 });
    expect(resolved.body.resolvedAt).toEqual(expect.any(String));
    expect(after).toMatchObject({ openComplaints: 0, openSeriousComplaints: 0, complaintsCount: 1 });
    expect(after.needsAttention).toBeUndefined();
    expect(lateFlag).toBe(false);
  });

  it('re-flags the customer when a serious complaint is reopened', async () => {
    // Prepare
    const customer = await createCustomer();
    const created = await http.post<Json>(`/customers/${customer.id}/timeline`, {
      type: 'complaint',
      severity: 'high',
      channel: 'email',
      subject: 'Late delivery',
      status: 'resolved',
    });
    const path = `/customers/${customer.id}/timeline/${created.body.id}`;

    // Act
    const reopened = await http.patch<Json>(path, { status: 'open', version: 1 });

    // Assess
    expect(reopened.status).toBe(200);
    expect(await stats(customer.id)).toMatchObject({
      openComplaints: 1,
      openSeriousComplaints: 1,
      needsAttention: true,
      attentionReason: 'high complaint',
    });
  });

  it('answers 412 to a stale version and 428 without one, leaving the entry unchanged', async () => {
    // Prepare
    const customer = await createCustomer();
    const created = await http.post<Json>(`/customers/${customer.id}/timeline`, {
      type: 'support_request',
      subject: 'Password reset',
    });
    const path = `/customers/${customer.id}/timeline/${created.body.id}`;
    await http.patch(path, { status: 'resolved', version: 1 });

    // Act
    const stale = await http.patch<Json>(path, { status: 'open', version: 1 });
    const missing = await http.patch<Json>(path, { status: 'open' });
    const current = await http.get<Json>(path);

    // Assess
    expect(stale.status).toBe(412);
    expect(missing.status).toBe(428);
    expect(current.body).toMatchObject({ status: 'resolved', version: 2 });
  });

  it('refuses to update an entry type that has no status, and a severity on a support request', async () => {
    // Prepare
    const customer = await createCustomer();
    const note = await http.post<Json>(`/customers/${customer.id}/timeline`, { type: 'note', body: 'hello' });
    const request = await http.post<Json>(`/customers/${customer.id}/timeline`, {
      type: 'support_request',
      subject: 'Help',
    });

    // Act
    const onNote = await http.patch<Json>(`/customers/${customer.id}/timeline/${note.body.id}`, {
      status: 'resolved',
      version: 1,
    });
    const severity = await http.patch<Json>(`/customers/${customer.id}/timeline/${request.body.id}`, {
      severity: 'high',
      version: 1,
    });
    const unknown = await http.get<Json>(`/customers/${customer.id}/timeline/01JF0000000000000000000000`);

    // Assess
    expect(onNote.status).toBe(400);
    expect(onNote.body.errors[0].path).toBe('path.entryId');
    expect(severity.status).toBe(400);
    expect(severity.body.errors[0].path).toBe('body.severity');
    expect(unknown.status).toBe(404);
  });
});
