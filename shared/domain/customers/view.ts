import * as z from 'zod/mini';
import { Customer } from '#shared/domain/customers/schemas';
import { CustomerStats, TimelineEntry } from '#shared/domain/timeline/schemas';

/** A recorded subscription state (the consent capability's `S#consents` summary item). */
const RecordedSubscription = z.object({
  status: z.enum(['subscribed', 'unsubscribed', 'pending']),
  changedAt: z.string(),
  source: z.string(),
});

/** The customer 360 view: profile, aggregates, recorded subscriptions and the latest timeline entries. */
export const CustomerView = z
  .object({
    customer: Customer,
    stats: CustomerStats,
    subscriptions: z.record(z.string(), RecordedSubscription).register(z.globalRegistry, {
      description:
        'Recorded subscription state per type; a type not listed has its default (GET /customers/{id}/subscriptions derives every type)',
    }),
    latest: z.array(TimelineEntry),
  })
  .register(z.globalRegistry, { id: 'CustomerView' });
export type CustomerView = z.infer<typeof CustomerView>;
