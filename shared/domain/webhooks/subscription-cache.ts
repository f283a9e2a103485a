/**
 * The webhook dispatcher reads every subscription for every event. Within one warm container the
 * list is cached for a short time, so a burst of events (an import) costs one Query per container
 * per `ttlMs` instead of one per event. A new or deleted subscription takes effect within `ttlMs`
 * (docs/webhooks.md); every delivery re-reads its subscription before sending, so a deleted or
 * deactivated one is never delivered to.
 */
import type { StoredWebhook, WebhookStore } from '#shared/domain/webhooks/store';

export const SUBSCRIPTION_CACHE_TTL_MS = 30_000;

/**
 * The cache time of this deployment: `WEBHOOK_SUBSCRIPTION_CACHE_SECONDS` (0 on the local cloud,
 * where one process serves the API and the dispatcher and a new subscription should work at once).
 */
export const subscriptionCacheTtlMs = (): number => {
  const raw = process.env.WEBHOOK_SUBSCRIPTION_CACHE_SECONDS;
  if (raw === undefined || raw === '') return SUBSCRIPTION_CACHE_TTL_MS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    throw new Error(`WEBHOOK_SUBSCRIPTION_CACHE_SECONDS must be 0-3600, got "${raw}"`);
  }
  return seconds * 1000;
};

export const withCachedSubscriptions = (
  store: WebhookStore,
  ttlMs: number = SUBSCRIPTION_CACHE_TTL_MS,
  now: () => number = Date.now,
): WebhookStore => {
  let cached: { at: number; value: Promise<StoredWebhook[]> } | undefined;
  return {
    ...store,
    all() {
      const at = now();
      if (!cached || at - cached.at >= ttlMs) {
        const value = store.all();
        cached = { at, value };
        // A failed read is not cached: the next event tries again.
        value.catch(() => {
          if (cached?.value === value) cached = undefined;
        });
      }
      return cached.value;
    },
  };
};
