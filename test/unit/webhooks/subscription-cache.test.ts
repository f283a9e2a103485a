import { describe, expect, it, vi } from 'vitest';
import type { StoredWebhook, WebhookStore } from '#shared/domain/webhooks/store';
import { subscriptionCacheTtlMs, withCachedSubscriptions } from '#shared/domain/webhooks/subscription-cache';

const storeWith = (all: () => Promise<StoredWebhook[]>) =>
  ({ all: vi.fn(all) }) as unknown as WebhookStore & {
    all: ReturnType<typeof vi.fn>;
  };

describe('Function: withCachedSubscriptions', () => {
  it('reads the subscriptions once for a burst of events within the TTL', async () => {
    // Prepare
    let now = 0;
    const store = storeWith(async () => []);
    const cached = withCachedSubscriptions(store, 30_000, () => now);

    // Act
    for (let i = 0; i < 100; i++) {
      await cached.all();
      now += 100;
    }

    // Assess
    expect(store.all).toHaveBeenCalledTimes(1);
  });

  it('reads again once the TTL has passed', async () => {
    // Prepare
    let now = 0;
    const store = storeWith(async () => []);
    const cached = withCachedSubscriptions(store, 30_000, () => now);

    // Act
    await cached.all();
    now = 30_000;
    await cached.all();

    // Assess
    expect(store.all).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed read', async () => {
    // Prepare
    const store = storeWith(async () => []);
    store.all.mockRejectedValueOnce(new Error('throttled'));
    const cached = withCachedSubscriptions(store, 30_000, () => 0);

    // Act
    await expect(cached.all()).rejects.toThrow('throttled');
    const second = await cached.all();

    // Assess
    expect(second).toEqual([]);
    expect(store.all).toHaveBeenCalledTimes(2);
  });
});

describe('Function: subscriptionCacheTtlMs', () => {
  it('is 30 s by default, configurable down to 0, and rejects nonsense', () => {
    const previous = process.env.WEBHOOK_SUBSCRIPTION_CACHE_SECONDS;
    try {
      delete process.env.WEBHOOK_SUBSCRIPTION_CACHE_SECONDS;
      expect(subscriptionCacheTtlMs()).toBe(30_000);
      process.env.WEBHOOK_SUBSCRIPTION_CACHE_SECONDS = '0';
      expect(subscriptionCacheTtlMs()).toBe(0);
      process.env.WEBHOOK_SUBSCRIPTION_CACHE_SECONDS = '-1';
      expect(() => subscriptionCacheTtlMs()).toThrow(/WEBHOOK_SUBSCRIPTION_CACHE_SECONDS/);
    } finally {
      if (previous === undefined) delete process.env.WEBHOOK_SUBSCRIPTION_CACHE_SECONDS;
      else process.env.WEBHOOK_SUBSCRIPTION_CACHE_SECONDS = previous;
    }
  });

  it('reads on every event with a TTL of 0', async () => {
    const store = storeWith(async () => []);
    const cached = withCachedSubscriptions(store, 0, () => 5);
    await cached.all();
    await cached.all();
    expect(store.all).toHaveBeenCalledTimes(2);
  });
});
