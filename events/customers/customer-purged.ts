import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

export const customerPurged = defineEvent({
  detailType: 'customer.purged',
  source: 'relay.customers',
  version: 1,
  description:
    'A customer’s profile was removed for good by a purge or erasure; nothing of theirs remains but the tombstone (id, reason, times).',
  producer: 'functions/streams/publish-domain-events.ts (customer profile removed)',
  data: { customerId: Id },
});
