/**
 * Offline key tests for the webhook keys (exact strings, as in keys.test.ts) and their
 * collision-freedom with the entity prefixes of the rest of the table.
 */
import { describe, expect, it } from 'vitest';
import {
  deliveriesByStatus,
  deliveryKey,
  deliveryStatusKeys,
  prefixes,
  sortKeys,
  WEBHOOKS_PARTITION,
  webhookKey,
  webhookPartition,
} from '#shared/db/keys';

const WEBHOOK_ID = '01JG0000000000000000000WHK';
const DELIVERY_ID = '01JG0000000000000000000DLV';

describe('Module: keys (webhooks)', () => {
  it('pins the webhook prefixes and the subscriptions partition', () => {
    // Assess
    expect(prefixes).toMatchObject({ webhook: 'WH#', delivery: 'DLV#', deliveryStatus: 'DLVSTATUS#' });
    expect(WEBHOOKS_PARTITION).toBe('WEBHOOKS');
  });

  it('keeps the subscriptions partition and singleton sort keys apart from every prefix', () => {
    // Prepare
    const all: string[] = Object.values(prefixes);
    const singletons = [WEBHOOKS_PARTITION, ...Object.values(sortKeys)];

    // Act
    const clashes = singletons.filter((key) => all.some((prefix) => key.startsWith(prefix)));

    // Assess
    expect(clashes).toEqual([]);
  });

  it('builds the subscription key on the one WEBHOOKS partition', () => {
    // Assess
    expect(webhookKey(WEBHOOK_ID)).toEqual({ pk: 'WEBHOOKS', sk: 'WH#01JG0000000000000000000WHK' });
  });

  it('builds the delivery key on the subscription partition', () => {
    // Assess
    expect(webhookPartition(WEBHOOK_ID)).toBe('WH#01JG0000000000000000000WHK');
    expect(deliveryKey(WEBHOOK_ID, DELIVERY_ID)).toEqual({
      pk: 'WH#01JG0000000000000000000WHK',
      sk: 'DLV#01JG0000000000000000000DLV',
    });
  });

  it('builds the deliveries-by-status keys on gsi2', () => {
    // Assess
    expect(deliveriesByStatus(WEBHOOK_ID, 'dead_lettered')).toBe(
      'WH#01JG0000000000000000000WHK#DLVSTATUS#dead_lettered',
    );
    expect(deliveryStatusKeys(WEBHOOK_ID, 'pending', DELIVERY_ID)).toEqual({
      gsi2pk: 'WH#01JG0000000000000000000WHK#DLVSTATUS#pending',
      gsi2sk: 'DLV#01JG0000000000000000000DLV',
    });
  });

  it('orders deliveries by id in sort-key order (ULIDs: newest last, so queries run descending)', () => {
    // Prepare
    const older = deliveryKey(WEBHOOK_ID, '01JG0000000000000000000000').sk;
    const newer = deliveryKey(WEBHOOK_ID, '01JH0000000000000000000000').sk;

    // Assess
    expect(older < newer).toBe(true);
  });
});
