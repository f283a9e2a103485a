/** An in-memory `WebhookStore` with the adapter's conditional semantics, for unit tests. */
import type { StoredDelivery, StoredWebhook, WebhookStore } from '#shared/domain/webhooks/store';

export const memoryWebhookStore = (initial: StoredWebhook[] = []) => {
  const webhooks = new Map(initial.map((w) => [w.id, structuredClone(w)]));
  const deliveries = new Map<string, StoredDelivery>();
  const key = (webhookId: string, deliveryId: string) => `${webhookId}/${deliveryId}`;
  const store: WebhookStore = {
    async create(webhook) {
      webhooks.set(webhook.id, structuredClone(webhook));
    },
    async get(id) {
      return structuredClone(webhooks.get(id));
    },
    async list({ limit }) {
      return { items: [...webhooks.values()].slice(0, limit), nextCursor: null };
    },
    async all() {
      return structuredClone([...webhooks.values()]);
    },
    async remove(webhook) {
      webhooks.delete(webhook.id);
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
      return structuredClone(delivery);
    },
    async finish(webhookId, deliveryId, status, at, lastError) {
      const delivery = deliveries.get(key(webhookId, deliveryId));
      if (delivery?.status !== 'pending') return undefined;
      Object.assign(delivery, { status, updatedAt: at, ...(lastError === undefined ? {} : { lastError }) });
      return structuredClone(delivery);
    },
    async deliveries(webhookId, { limit, status }) {
      const items = [...deliveries.values()]
        .filter((d) => d.webhookId === webhookId && (!status || d.status === status))
        .sort((a, b) => (a.id < b.id ? 1 : -1))
        .slice(0, limit);
      return { items: structuredClone(items), nextCursor: null };
    },
  };
  return { store, webhooks, deliveries };
};
