import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';
import { LifecycleStage } from '#shared/domain/customers/schemas';

/** Version 2 (thin): ids and routing facts only; consumers read the record with the API. */
export const customerCreated = defineEvent({
  detailType: 'customer.created',
  source: 'relay.customers',
  version: 2,
  description:
    'A customer (person or prospect) was created. Thin: ids and routing facts, no personal data — read the customer with `GET /customers/{id}`.',
  producer: 'functions/streams/publish-domain-events.ts (customer profile inserted)',
  data: {
    customerId: Id,
    version: z.int(),
    lifecycleStage: LifecycleStage,
    ownerId: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'The owning user’s sub (staff, not the customer)' }),
    companyId: z.optional(Id),
    channel: z.optional(z.string().check(z.maxLength(32))),
  },
});
