import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';
import { Customer } from '#shared/domain/customers/schemas';

export const customerCreated = defineEvent({
  detailType: 'customer.created',
  source: 'relay.customers',
  version: 1,
  description: 'A customer (person or prospect) was created.',
  producer: 'functions/streams/publish-domain-events.ts (customer profile inserted)',
  data: { customerId: Id, customer: Customer },
});
