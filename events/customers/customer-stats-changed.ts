import * as z from 'zod';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

/**
 * For projections (segments on "revenue > X", "≥ 2 orders", "open serious complaint"): the
 * customer's aggregates after the change and which of them changed. Numbers and times only.
 */
export const customerStatsChanged = defineEvent({
  detailType: 'customer.stats_changed',
  source: 'relay.customers',
  version: 1,
  description:
    'A customer’s aggregates changed (an order, a complaint, a resolution…). `changedFields` names them; the values are the aggregates after the change: counts, revenue per currency in minor units, timestamps — no personal data.',
  producer: 'functions/streams/publish-domain-events.ts (customer stats item inserted or modified)',
  data: {
    customerId: Id,
    changedFields: z.array(z.string()).min(1),
    ordersCount: z.number().int(),
    revenueMinor: z.record(z.string().length(3), z.number().int()),
    complaintsCount: z.number().int(),
    openComplaints: z.number().int(),
    openSeriousComplaints: z.number().int().optional(),
    needsAttention: z.boolean(),
    lastOrderAt: z.string().optional(),
    lastContactAt: z.string().optional(),
  },
});
