/**
 * Webhooks through the whole local cloud, nothing intercepted: POST /customers → DynamoDB Local
 * stream → outbox publisher → local bus (rule `dispatch-webhooks`) → dispatcher → the real
 * SFNClient → local Step Functions running `infra/workflows/webhook-delivery.asl.json` (Retry
 * intervals scaled × 0.001) → task handler files → receivers on 127.0.0.1 (stage `local`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '#shared/config';
import { resetDeps } from '#shared/deps';
import { verifySignature } from '#shared/domain/webhooks/signing';
import { receiverPool } from '../support/webhook-receiver.ts';
import { apiClient } from './support/api-client.ts';
import { startTestCloud, type TestApi, type TestCloud } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

let cloud: TestCloud;
let http: ReturnType<typeof apiClient>;
const receivers = receiverPool();
const receiver = receivers.start;

beforeAll(async () => {
  cloud = await startTestCloud({ tableName: 'webhooks-cloud' });
  // Stage `local`: the one stage where receivers on 127.0.0.1 over http:// are allowed.
  process.env.STAGE = 'local';
  resetConfig();
  resetDeps();
  http = apiClient(cloud.api as TestApi);
}, 60_000);

afterAll(async () => {
  await cloud?.close();
  await receivers.closeAll();
});

/** Polls the delivery log until the subscription has a delivery that is no longer pending. */
const finalDelivery = async (webhookId: string, timeoutMs = 20_000): Promise<Json> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = (await http.get<Json>(`/webhooks/${webhookId}/deliveries`)).body.items as Json[];
    const done = items.find((d) => d.status !== 'pending');
    if (done) return done;
    if (Date.now() > deadline)
      throw new Error(`no final delivery for ${webhookId}: ${JSON.stringify(items)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('Webhooks on the local cloud', () => {
  it('delivers customer.created, signed, on the third attempt to a receiver that fails twice', async () => {
    // Prepare
    const hook = await receiver([503, 500, 204]);
    const webhook = (
      await http.post<Json>(
        '/webhooks',
        { url: hook.url, eventTypes: ['customer.created'] },
        { role: 'admin' },
      )
    ).body;

    // Act
    const customer = await http.post<Json>(
      '/customers',
      { firstName: 'Grace', emails: [{ address: `grace.${Date.now()}@example.com` }] },
      { role: 'sales' },
    );
    const delivery = await finalDelivery(webhook.id);

    // Assess
    expect(customer.status).toBe(201);
    expect(delivery).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      lastStatusCode: 204,
      detailType: 'customer.created',
    });
    expect(hook.received).toHaveLength(3);
    for (const request of hook.received) {
      expect(
        verifySignature(webhook.secret, request.headers['relay-signature'] as string, request.body),
      ).toBe(true);
      expect(request.headers['relay-delivery-id']).toBe(delivery.id);
    }
    expect(JSON.parse(hook.received[2]?.body ?? '{}')).toMatchObject({
      type: 'customer.created',
      source: 'relay.customers',
      data: { customerId: customer.body.id, schemaVersion: 2, lifecycleStage: 'lead' },
    });
    // Thin events: the integrator reads the customer with the API, the payload names none of it.
    expect(hook.received[2]?.body).not.toContain('Grace');
  });

  it('dead-letters a delivery to a receiver that always fails', async () => {
    // Prepare
    const hook = await receiver([500]);
    const webhook = (
      await http.post<Json>(
        '/webhooks',
        { url: hook.url, eventTypes: ['company.created'] },
        { role: 'admin' },
      )
    ).body;

    // Act
    await http.post(
      '/companies',
      { name: 'Initech', domain: `initech-${Date.now()}.example.com` },
      { role: 'sales' },
    );
    const delivery = await finalDelivery(webhook.id);
    const dead = await http.get<Json>(`/webhooks/${webhook.id}/deliveries?status=dead_lettered`);

    // Assess
    expect(delivery).toMatchObject({ status: 'dead_lettered', attempts: 5, lastStatusCode: 500 });
    expect(hook.received).toHaveLength(5);
    expect(dead.body.items.map((d: Json) => d.id)).toEqual([delivery.id]);
  });
});
