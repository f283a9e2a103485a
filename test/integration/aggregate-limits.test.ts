/**
 * Customer totals past what Relay renders exactly (docs/architecture.md, "Aggregates"): an order
 * that would take a customer's revenue past `MAX_REVENUE_MINOR` is a 409 field error that writes
 * nothing, so the 360 view never meets a total it cannot read (a sum past 2^53 minor units made
 * the view a 500). Local API Gateway → customers function → DynamoDB Local.
 */

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerStatsKey } from '#shared/db/keys';
import { MAX_REVENUE_MINOR } from '#shared/domain/timeline/rules';
import { apiClient } from './support/api-client.ts';
import { startTestApi, type TestApi, useTestTable } from './support/local-cloud.ts';
import { tableSnapshot } from './support/table-snapshot.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

let api: TestApi;
let http: ReturnType<typeof apiClient>;
let table: Awaited<ReturnType<typeof useTestTable>>;
let n = 0;

/** The largest single order amount (major units) the timeline accepts. */
const LARGEST_ORDER = 1e12;
const LARGEST_ORDER_MINOR = LARGEST_ORDER * 100;

beforeAll(async () => {
  table = await useTestTable('aggregate-limits');
  api = await startTestApi();
  http = apiClient(api);
});

afterAll(async () => {
  await api?.close();
});

const createCustomer = async (): Promise<Json> => {
  const res = await http.post<Json>('/customers', {
    firstName: 'Grace',
    emails: [{ address: `totals${++n}.${Date.now()}@example.com` }],
  });
  expect(res.status).toBe(201);
  return res.body;
};

/** Sets the customer's stored EUR revenue (minor units), as many earlier orders would have. */
const seedRevenue = async (customerId: string, minor: number | bigint): Promise<void> => {
  await table.client.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: customerStatsKey(customerId),
      UpdateExpression: 'SET revenueMinor = :revenue',
      ExpressionAttributeValues: { ':revenue': { EUR: minor } },
    }),
  );
};

const order = (amount: number, orderId?: string) => ({
  type: 'order',
  amount,
  currency: 'EUR',
  ...(orderId ? { orderId } : {}),
});

describe('Aggregates: revenue past the limit', () => {
  it('refuses an order that would take the revenue past the limit: 409 at body.amount, nothing written', async () => {
    // Prepare
    const customer = await createCustomer();
    const seeded = MAX_REVENUE_MINOR - LARGEST_ORDER_MINOR + 1;
    await seedRevenue(customer.id, seeded);
    const before = await tableSnapshot(table);

    // Act
    const res = await http.post<Json>(`/customers/${customer.id}/timeline`, order(LARGEST_ORDER));

    // Assess
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://relay.dev/problems/aggregate-limit',
      status: 409,
      errors: [{ path: 'body.amount', code: 'aggregate_limit' }],
    });
    expect(await tableSnapshot(table)).toBe(before);
    const view = await http.get<Json>(`/customers/${customer.id}/view`);
    expect(view.status).toBe(200);
    expect(view.body.stats.revenue.EUR).toBe(seeded / 100);
  });

  it('counts many large orders up to the limit exactly, and refuses the next cent', async () => {
    // Prepare
    const customer = await createCustomer();
    await seedRevenue(customer.id, MAX_REVENUE_MINOR - 3 * LARGEST_ORDER_MINOR);

    // Act
    const accepted = [];
    for (let i = 0; i < 3; i++) {
      accepted.push((await http.post(`/customers/${customer.id}/timeline`, order(LARGEST_ORDER))).status);
    }
    const atLimit = await http.get<Json>(`/customers/${customer.id}/view`);
    const oneCentMore = await http.post<Json>(`/customers/${customer.id}/timeline`, order(0.01));

    // Assess
    expect(accepted).toEqual([201, 201, 201]);
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.stats.revenue.EUR).toBe(MAX_REVENUE_MINOR / 100);
    expect(oneCentMore.status).toBe(409);
    expect(oneCentMore.body.errors[0]).toMatchObject({ path: 'body.amount', code: 'aggregate_limit' });
  });

  it('never carries a total to 2^53 minor units, so the 360 view keeps answering (it was a 500)', async () => {
    // Prepare: a total stored near 2^53 minor units before the limit existed
    const customer = await createCustomer();
    const nearUnsafe = Number.MAX_SAFE_INTEGER - LARGEST_ORDER_MINOR + 1;
    await seedRevenue(customer.id, nearUnsafe);

    // Act
    const append = await http.post<Json>(`/customers/${customer.id}/timeline`, order(LARGEST_ORDER));
    const view = await http.get<Json>(`/customers/${customer.id}/view`);
    const exported = await http.get<Json>(`/customers/${customer.id}/export`);

    // Assess
    expect(view.status).toBe(200);
    expect(exported.status).toBe(200);
    expect(append.status).toBe(409);
  });

  it('still lets a total past the limit fall: a refund of a counted order is accepted', async () => {
    // Prepare
    const customer = await createCustomer();
    await seedRevenue(customer.id, MAX_REVENUE_MINOR - LARGEST_ORDER_MINOR);
    const placed = await http.post(`/customers/${customer.id}/timeline`, {
      ...order(LARGEST_ORDER, 'BIG-1'),
      occurredAt: '2026-11-01T10:00:00.000Z',
    });
    await seedRevenue(customer.id, MAX_REVENUE_MINOR + 500);

    // Act
    const refund = await http.post(`/customers/${customer.id}/timeline`, {
      ...order(LARGEST_ORDER, 'BIG-1'),
      status: 'refunded',
      occurredAt: '2026-11-01T11:00:00.000Z',
    });
    const view = await http.get<Json>(`/customers/${customer.id}/view`);

    // Assess
    expect(placed.status).toBe(201);
    expect(refund.status).toBe(201);
    expect(view.body.stats.revenue.EUR).toBe((MAX_REVENUE_MINOR + 500 - LARGEST_ORDER_MINOR) / 100);
  });
});
