import { z } from 'zod';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';
import { Customer } from '#shared/domain/customers/schemas';

export const customerUpdated = defineEvent({
  detailType: 'customer.updated',
  source: 'relay.customers',
  version: 1,
  description: 'A customer profile changed; `changedFields` names the top-level fields that differ.',
  producer: 'functions/streams/publish-domain-events.ts (customer profile modified)',
  data: {
    customerId: Id,
    previousVersion: z.number().int(),
    changedFields: z.array(z.string()).min(1),
    customer: Customer,
  },
});
