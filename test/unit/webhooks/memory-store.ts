/**
 * An in-memory `WebhookStore` for unit tests. It keeps the DynamoDB adapter's semantics — 409 on a
 * duplicate id, 412 on a stale remove (which also drops the delivery log), newest-first pages with
 * cursors, deliveries answered without their event — and is held to them by the shared contract
 * (`test/support/store-contract.ts`), which runs against both.
 */
import type { Page } from '#shared/db/pagination';
import { changedConcurrently } from '#shared/domain/common/records';
import type { Delivery } from '#shared/domain/webhooks/schemas';
import type { StoredDelivery, StoredWebhook, WebhookStore } from '#shared/domain/webhooks/store';
import { ConflictError, ValidationError } from '#shared/errors';

/** Newest first by id (the adapter's sort key order), in pages with an opaque cursor. */
const pageOf = <T extends { id: string }>(all: T[], limit: number, cursor: string | undefined): Page<T> => {
  const sorted = [...all].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  let start = 0;
  if (cursor) {
    const after = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!sorted.some((item) => item.id === after)) throw new ValidationError('The cursor is not valid.');
    start = sorted.findIndex((item) => item.id < after);
    if (start === -1) start = sorted.length;
  }
  const items = sorted.slice(start, start + limit);
  const last = items.at(-1);
  // Like DynamoDB, a page filled to `limit` has a cursor even when nothing follows.
  const nextCursor = last && items.length === limit ? Buffer.from(last.id).toString('base64url') : null;
  return { items: structuredClone(items), nextCursor };
};

const withoutEvent = ({ event: _event, ...delivery }: StoredDelivery): Delivery => structuredClone(delivery);

export const memoryWebhookStore = (initial: StoredWebhook[] = []) => {
  const webhooks = new Map(initial.map((w) => [w.id, structuredClone(w)]));
  const deliveries = new Map<string, StoredDelivery>();
  const key = (webhookId: string, deliveryId: string) => `${webhookId}/${deliveryId}`;
  const store: WebhookStore = {
    async create(webhook) {
      if (webhooks.has(webhook.id)) throw new ConflictError('A webhook with this id already exists.');
      webhooks.set(webhook.id, structuredClone(webhook));
    },
    async get(id) {
      return structuredClone(webhooks.get(id));
    },
    async list({ limit, cursor }) {
      return pageOf([...webhooks.values()], limit, cursor);
    },
    async all() {
      return structuredClone([...webhooks.values()]);
    },
    async remove(webhook) {
      if (webhooks.get(webhook.id)?.version !== webhook.version) throw changedConcurrently('webhook');
      webhooks.delete(webhook.id);
      for (const [k, delivery] of deliveries) if (delivery.webhookId === webhook.id) deliveries.delete(k);
    },
    async deactivate(id, at) {
      const webhook = webhooks.get(id);
      if (webhook?.active)
        Object.assign(webhook, { active: false, updatedAt: at, version: webhook.version + 1 });
    },
    async createDelivery(delivery, event) {
      const k = key(delivery.webhookId, delivery.id);
      if (deliveries.has(k)) return false;
      deliveries.set(k, structuredClone({ ...delivery, event }));
      return true;
    },
    async getDelivery(webhookId, deliveryId) {
      return structuredClone(deliveries.get(key(webhookId, deliveryId)));
    },
    async recordAttempt(webhookId, deliveryId, outcome) {
      const delivery = deliveries.get(key(webhookId, deliveryId));
      if (delivery?.status !== 'pending') return undefined;
      Object.assign(delivery, {
        attempts: delivery.attempts + 1,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        updatedAt: outcome.at,
      });
      return withoutEvent(delivery);
    },
    async finish(webhookId, deliveryId, status, at, lastError) {
      const delivery = deliveries.get(key(webhookId, deliveryId));
      if (delivery?.status !== 'pending') return undefined;
      Object.assign(delivery, { status, updatedAt: at, ...(lastError === undefined ? {} : { lastError }) });
      return withoutEvent(delivery);
    },
    async deliveries(webhookId, { limit, cursor, status }) {
      const mine = [...deliveries.values()]
        .filter((d) => d.webhookId === webhookId && (!status || d.status === status))
        .map(withoutEvent);
      return pageOf(mine, limit, cursor);
    },
  };
  return { store, webhooks, deliveries };
};
