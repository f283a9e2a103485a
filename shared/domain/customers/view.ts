import * as z from 'zod/mini';
import { Customer } from '#shared/domain/customers/schemas';
import { CustomerStats, TimelineEntry } from '#shared/domain/timeline/schemas';

/** The customer 360 view: profile, aggregates and the latest timeline entries. */
export const CustomerView = z
  .object({
    customer: Customer,
    stats: CustomerStats,
    latest: z.array(TimelineEntry),
  })
  .register(z.globalRegistry, { id: 'CustomerView' });
export type CustomerView = z.infer<typeof CustomerView>;
