import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';
import { LifecycleStage } from '#shared/domain/customers/schemas';

/** Version 2 (thin): field NAMES, never values; consumers read the record with the API. */
export const customerUpdated = defineEvent({
  detailType: 'customer.updated',
  source: 'relay.customers',
  version: 2,
  description:
    'A customer profile changed; `changedFields` names the top-level fields that differ (names only, never values).',
  producer: 'functions/streams/publish-domain-events.ts (customer profile modified)',
  data: {
    customerId: Id,
    previousVersion: z.int(),
    version: z.int(),
    changedFields: z.array(z.string()).check(z.minLength(1)),
    lifecycleStage: LifecycleStage,
    ownerId: z.optional(z.string()),
    companyId: z.optional(Id),
  },
});
