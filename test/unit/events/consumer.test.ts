import type { EventBridgeEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { readFixture } from '#events/docs';
import { timelineEntryAdded } from '#events/timeline/timeline-entry-added';
import { consumeEvent, EventInProgressError, InvalidEventError } from '#shared/events/consumer';
import { type ClaimResult, type DedupeStore, dedupeTtlSeconds } from '#shared/events/dedupe';

/** Dedupe store in memory, with the same claim semantics as the table (no lock expiry). */
const memoryDedupe = () => {
  const records = new Map<string, 'inProgress' | 'done'>();
  const store: DedupeStore = {
    async claim(consumer, eventId): Promise<ClaimResult> {
      const current = records.get(`${consumer}|${eventId}`);
      if (current) return current;
      records.set(`${consumer}|${eventId}`, 'inProgress');
      return 'claimed';
    },
    async complete(consumer, eventId) {
      records.set(`${consumer}|${eventId}`, 'done');
    },
    async release(consumer, eventId) {
      if (records.get(`${consumer}|${eventId}`) === 'inProgress') records.delete(`${consumer}|${eventId}`);
    },
  };
  return { store, records };
};

const eventOf = (
  detail: unknown = readFixture(timelineEntryAdded.detailType),
): EventBridgeEvent<string, unknown> => ({
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  version: '0',
  account: '123456789012',
  time: '2026-11-23T12:00:03Z',
  region: 'eu-central-1',
  resources: [],
  source: timelineEntryAdded.source,
  'detail-type': timelineEntryAdded.detailType,
  detail: structuredClone(detail),
});

describe('Module: consumer', () => {
  describe('Function: consumeEvent', () => {
    it('runs the function with the parsed detail', async () => {
      // Prepare
      const { store } = memoryDedupe();
      const fn = vi.fn(async (_detail: unknown) => {});
      const handler = consumeEvent('test-consumer', timelineEntryAdded, fn, {
        deps: () => ({ dedupe: store }),
      });

      // Act
      await handler(eventOf());

      // Assess
      expect(fn).toHaveBeenCalledTimes(1);
      expect(fn.mock.calls[0]?.[0]).toMatchObject({ type: 'complaint', severity: 'critical' });
    });

    it('runs the function once when the same event arrives three times', async () => {
      // Prepare
      const { store } = memoryDedupe();
      const fn = vi.fn(async () => {});
      const handler = consumeEvent('test-consumer', timelineEntryAdded, fn, {
        deps: () => ({ dedupe: store }),
      });

      // Act
      for (let i = 0; i < 3; i++) await handler(eventOf());

      // Assess
      expect(fn).toHaveBeenCalledTimes(1);
    });

    it('dedupes per consumer: two consumers each handle the same event', async () => {
      // Prepare
      const { store } = memoryDedupe();
      const fn = vi.fn(async () => {});
      const deps = { deps: () => ({ dedupe: store }) };

      // Act
      await consumeEvent('consumer-a', timelineEntryAdded, fn, deps)(eventOf());
      await consumeEvent('consumer-b', timelineEntryAdded, fn, deps)(eventOf());

      // Assess
      expect(fn).toHaveBeenCalledTimes(2);
    });

    it('releases the claim when the function fails, so the retry runs it again', async () => {
      // Prepare
      const { store } = memoryDedupe();
      const fn = vi
        .fn()
        .mockRejectedValueOnce(new Error('downstream unavailable'))
        .mockResolvedValue(undefined);
      const handler = consumeEvent('test-consumer', timelineEntryAdded, fn, {
        deps: () => ({ dedupe: store }),
      });

      // Act
      const first = handler(eventOf());
      await expect(first).rejects.toThrow('downstream unavailable');
      await handler(eventOf());

      // Assess
      expect(fn).toHaveBeenCalledTimes(2);
    });

    it('throws EventInProgressError while another delivery holds the claim', async () => {
      // Prepare
      const { store, records } = memoryDedupe();
      const detail = readFixture(timelineEntryAdded.detailType) as { eventId: string };
      records.set(`test-consumer|${detail.eventId}`, 'inProgress');
      const fn = vi.fn(async () => {});
      const handler = consumeEvent('test-consumer', timelineEntryAdded, fn, {
        deps: () => ({ dedupe: store }),
      });

      // Act
      const act = handler(eventOf());

      // Assess
      await expect(act).rejects.toBeInstanceOf(EventInProgressError);
      expect(fn).not.toHaveBeenCalled();
    });

    it('rejects a detail that does not match the contract with InvalidEventError, without running', async () => {
      // Prepare
      const { store } = memoryDedupe();
      const fn = vi.fn(async () => {});
      const handler = consumeEvent('test-consumer', timelineEntryAdded, fn, {
        deps: () => ({ dedupe: store }),
      });
      const broken = { ...(readFixture(timelineEntryAdded.detailType) as object), eventId: 'not-an-id' };

      // Act
      const act = handler(eventOf(broken));

      // Assess
      await expect(act).rejects.toMatchObject({
        name: 'InvalidEventError',
        issues: [{ path: 'eventId', code: 'invalid_format' }],
      });
      expect(fn).not.toHaveBeenCalled();
    });

    it('rejects an event of another detail type with InvalidEventError', async () => {
      // Prepare
      const { store } = memoryDedupe();
      const handler = consumeEvent('test-consumer', timelineEntryAdded, async () => {}, {
        deps: () => ({ dedupe: store }),
      });
      const event = { ...eventOf(), 'detail-type': 'customer.created' };

      // Act
      const act = handler(event);

      // Assess
      await expect(act).rejects.toBeInstanceOf(InvalidEventError);
    });

    it('still succeeds when marking the event handled fails (the work is done)', async () => {
      // Prepare
      const { store } = memoryDedupe();
      const failing: DedupeStore = {
        ...store,
        complete: async () => {
          throw new Error('throttled');
        },
      };
      const fn = vi.fn(async () => {});
      const handler = consumeEvent('test-consumer', timelineEntryAdded, fn, {
        deps: () => ({ dedupe: failing }),
      });

      // Act
      const act = handler(eventOf());

      // Assess
      await expect(act).resolves.toBeUndefined();
      expect(fn).toHaveBeenCalledTimes(1);
    });
  });
});

describe('Function: dedupeTtlSeconds', () => {
  it('keeps handled events at least 7 days, and as long as the archive when that is longer', () => {
    // Prepare
    const previous = process.env.DEDUPE_TTL_DAYS;
    try {
      // Act / Assess
      delete process.env.DEDUPE_TTL_DAYS;
      expect(dedupeTtlSeconds()).toBe(7 * 86_400);
      process.env.DEDUPE_TTL_DAYS = '3';
      expect(dedupeTtlSeconds()).toBe(7 * 86_400);
      process.env.DEDUPE_TTL_DAYS = '365';
      expect(dedupeTtlSeconds()).toBe(365 * 86_400);
      process.env.DEDUPE_TTL_DAYS = 'forever';
      expect(() => dedupeTtlSeconds()).toThrow(/DEDUPE_TTL_DAYS/);
    } finally {
      if (previous === undefined) delete process.env.DEDUPE_TTL_DAYS;
      else process.env.DEDUPE_TTL_DAYS = previous;
    }
  });
});
