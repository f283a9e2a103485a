import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

export const customerPurgeRequested = defineEvent({
  detailType: 'customer.purge_requested',
  source: 'relay.customers',
  version: 1,
  description:
    'Every item holding a customer’s data is to be removed: the recycle bin window passed (`retention`) or an admin erased them (`erasure`). Consumed by `purge-customers`.',
  producer: 'functions/streams/publish-domain-events.ts (customer tombstone inserted)',
  data: { customerId: Id, reason: z.enum(['retention', 'erasure', 'purge']) },
});
