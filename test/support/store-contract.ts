/**
 * The contract of the webhook repository port (`shared/domain/webhooks/store.ts`), written once
 * and run against every implementation: the DynamoDB adapter on DynamoDB Local
 * (`test/integration/webhook-store-contract.test.ts`) and the in-memory fake the unit tests use
 * (`test/unit/webhooks/memory-store-contract.test.ts`). A fake that drifts from the adapter fails
 * here instead of letting unit tests pass against behaviour production does not have.
 *
 * The stores may share one table with other tests, so each test uses fresh ids and checks only
 * its own records in the shared subscriptions partition.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '#shared/domain/webhooks/schemas';
import type { WebhookEvent } from '#shared/domain/webhooks/service';
import type { StoredWebhook, WebhookStore } from '#shared/domain/webhooks/store';
import { ConflictError, PreconditionFailedError } from '#shared/errors';

const RUN = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
let seq = 0;
/** A fresh ULID-shaped id; later ids sort after earlier ones (the stores list newest first). */
const nextId = (): string => `01K${RUN}${String(++seq).padStart(15, '0')}`;

const CREATED = '2026-12-01T10:00:00.000Z';

const webhookOf = (id: string, overrides: Partial<StoredWebhook> = {}): StoredWebhook => ({
  id,
  url: 'https://hooks.example.com/contract',
  eventTypes: ['customer.created'],
  description: 'contract',
  active: true,
  createdAt: CREATED,
  updatedAt: CREATED,
  version: 1,
  sealedSecret: 'kms1.sealed-secret',
  ...overrides,
});

const deliveryOf = (webhookId: string, id: string): Delivery => ({
  id,
  webhookId,
  eventId: `evt-${id}`,
  detailType: 'customer.created',
  status: 'pending',
  attempts: 0,
  lastStatusCode: null,
  lastError: null,
  createdAt: CREATED,
  updatedAt: CREATED,
});

const eventOf = (id: string): WebhookEvent => ({
  eventId: `evt-${id}`,
  detailType: 'customer.created',
  source: 'relay.customers',
  occurredAt: CREATED,
  detail: { customerId: '01JG0000000000000000000001' },
});

const rejection = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

export const describeStoreContract = (
  name: string,
  makeStore: () => WebhookStore | Promise<WebhookStore>,
): void => {
  describe(`WebhookStore contract: ${name}`, () => {
    let store: WebhookStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    /** All pages of `list`, following cursors (bounded). */
    const listAll = async (limit: number): Promise<{ ids: string[]; pages: number }> => {
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ limit, cursor });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        ids.push(...page.items.map((w) => w.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 1000);
      return { ids, pages };
    };

    it('returns a created subscription as it was stored, sealed secret included', async () => {
      // Prepare
      const webhook = webhookOf(nextId());

      // Act
      await store.create(webhook);
      const read = await store.get(webhook.id);

      // Assess
      expect(read).toEqual(webhook);
      expect(await store.get(nextId())).toBeUndefined();
    });

    it('refuses a second subscription with the same id (409) and keeps the first', async () => {
      // Prepare
      const webhook = webhookOf(nextId());
      await store.create(webhook);

      // Act
      const error = await rejection(store.create({ ...webhook, url: 'https://hooks.example.com/other' }));

      // Assess
      expect(error).toBeInstanceOf(ConflictError);
      expect((await store.get(webhook.id))?.url).toBe(webhook.url);
    });

    it('lists subscriptions newest first across pages, and all() returns every one', async () => {
      // Prepare
      const mine = [nextId(), nextId(), nextId(), nextId(), nextId()];
      for (const id of mine) await store.create(webhookOf(id));

      // Act
      const listed = await listAll(2);
      const everything = (await store.all()).map((w) => w.id);

      // Assess
      expect(listed.ids.filter((id) => mine.includes(id))).toEqual([...mine].reverse());
      expect(new Set(listed.ids).size).toBe(listed.ids.length);
      expect(listed.pages).toBeGreaterThanOrEqual(3);
      expect(everything).toEqual(expect.arrayContaining(mine));
    });

    it('removes a subscription at its current version, with its delivery log', async () => {
      // Prepare
      const webhook = webhookOf(nextId());
      await store.create(webhook);
      const deliveryId = nextId();
      await store.createDelivery(deliveryOf(webhook.id, deliveryId), eventOf(deliveryId));

      // Act
      await store.remove(webhook);

      // Assess
      expect(await store.get(webhook.id)).toBeUndefined();
      expect(await store.getDelivery(webhook.id, deliveryId)).toBeUndefined();
      expect((await store.deliveries(webhook.id, { limit: 10 })).items).toEqual([]);
    });

    it('refuses to remove a subscription at a stale version (412) and keeps it', async () => {
      // Prepare
      const webhook = webhookOf(nextId(), { version: 2 });
      await store.create(webhook);

      // Act
      const error = await rejection(store.remove({ ...webhook, version: 1 }));

      // Assess
      expect(error).toBeInstanceOf(PreconditionFailedError);
      expect(await store.get(webhook.id)).toEqual(webhook);
    });

    it('deactivates an active subscription once, bumping its version, and never creates one', async () => {
      // Prepare
      const webhook = webhookOf(nextId());
      await store.create(webhook);
      const missing = nextId();

      // Act
      await store.deactivate(webhook.id, '2026-12-02T00:00:00.000Z');
      await store.deactivate(webhook.id, '2026-12-03T00:00:00.000Z');
      await store.deactivate(missing, '2026-12-02T00:00:00.000Z');

      // Assess
      expect(await store.get(webhook.id)).toEqual({
        ...webhook,
        active: false,
        updatedAt: '2026-12-02T00:00:00.000Z',
        version: 2,
      });
      expect(await store.get(missing)).toBeUndefined();
    });

    it('writes a delivery once with its event; a second write of the same id is refused and changes nothing', async () => {
      // Prepare
      const webhookId = nextId();
      const deliveryId = nextId();
      const delivery = deliveryOf(webhookId, deliveryId);

      // Act
      const first = await store.createDelivery(delivery, eventOf(deliveryId));
      const second = await store.createDelivery(
        { ...delivery, detailType: 'company.created' },
        eventOf('other'),
      );
      const read = await store.getDelivery(webhookId, deliveryId);

      // Assess
      expect([first, second]).toEqual([true, false]);
      expect(read).toEqual({ ...delivery, event: eventOf(deliveryId) });
      expect(await store.getDelivery(webhookId, nextId())).toBeUndefined();
    });

    it('counts attempts only on a pending delivery and answers the delivery without its event', async () => {
      // Prepare
      const webhookId = nextId();
      const deliveryId = nextId();
      const delivery = deliveryOf(webhookId, deliveryId);
      await store.createDelivery(delivery, eventOf(deliveryId));

      // Act
      const attempted = await store.recordAttempt(webhookId, deliveryId, {
        statusCode: 500,
        error: 'HTTP 500',
        at: '2026-12-01T10:01:00.000Z',
      });
      await store.finish(webhookId, deliveryId, 'failed', '2026-12-01T10:02:00.000Z', 'gave up');
      const afterFinish = await store.recordAttempt(webhookId, deliveryId, {
        statusCode: 200,
        error: null,
        at: '2026-12-01T10:03:00.000Z',
      });
      const missing = await store.recordAttempt(webhookId, nextId(), {
        statusCode: 200,
        error: null,
        at: '2026-12-01T10:03:00.000Z',
      });

      // Assess
      expect(attempted).toEqual({
        ...delivery,
        attempts: 1,
        lastStatusCode: 500,
        lastError: 'HTTP 500',
        updatedAt: '2026-12-01T10:01:00.000Z',
      });
      expect(afterFinish).toBeUndefined();
      expect(missing).toBeUndefined();
    });

    it('finishes a pending delivery once; a missing or final one is left alone', async () => {
      // Prepare
      const webhookId = nextId();
      const deliveryId = nextId();
      const delivery = deliveryOf(webhookId, deliveryId);
      await store.createDelivery(delivery, eventOf(deliveryId));

      // Act
      const finished = await store.finish(
        webhookId,
        deliveryId,
        'dead_lettered',
        '2026-12-01T11:00:00.000Z',
        'HTTP 503',
      );
      const again = await store.finish(webhookId, deliveryId, 'succeeded', '2026-12-01T12:00:00.000Z');
      const missing = await store.finish(webhookId, nextId(), 'succeeded', '2026-12-01T12:00:00.000Z');

      // Assess
      expect(finished).toEqual({
        ...delivery,
        status: 'dead_lettered',
        lastError: 'HTTP 503',
        updatedAt: '2026-12-01T11:00:00.000Z',
      });
      expect(again).toBeUndefined();
      expect(missing).toBeUndefined();
      expect((await store.getDelivery(webhookId, deliveryId))?.status).toBe('dead_lettered');
    });

    it('lists a subscription’s deliveries newest first, by status too, without their events', async () => {
      // Prepare
      const webhookId = nextId();
      const [a, b, c] = [nextId(), nextId(), nextId()] as [string, string, string];
      for (const id of [a, b, c]) await store.createDelivery(deliveryOf(webhookId, id), eventOf(id));
      await store.finish(webhookId, b, 'dead_lettered', '2026-12-01T11:00:00.000Z');
      await store.createDelivery(deliveryOf(nextId(), nextId()), eventOf('elsewhere'));

      // Act
      const all = await store.deliveries(webhookId, { limit: 10 });
      const dead = await store.deliveries(webhookId, { limit: 10, status: 'dead_lettered' });
      const pending = await store.deliveries(webhookId, { limit: 10, status: 'pending' });

      // Assess
      expect(all.items.map((d) => d.id)).toEqual([c, b, a]);
      expect(dead.items.map((d) => d.id)).toEqual([b]);
      expect(pending.items.map((d) => d.id)).toEqual([c, a]);
      for (const item of [...all.items, ...dead.items, ...pending.items])
        expect(item).not.toHaveProperty('event');
    });
  });
};
