import * as z from 'zod/mini';
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
    changedFields: z.array(z.string()).check(z.minLength(1)),
    ordersCount: z.int(),
    revenueMinor: z.record(z.string().check(z.length(3)), z.int()),
    complaintsCount: z.int(),
    openComplaints: z.int(),
    openSeriousComplaints: z.optional(z.int()),
    needsAttention: z.boolean(),
    lastOrderAt: z.optional(z.string()),
    lastContactAt: z.optional(z.string()),
  },
});
