import { z } from 'zod';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

export const customerDeleted = defineEvent({
  detailType: 'customer.deleted',
  source: 'relay.customers',
  version: 1,
  description: 'A customer was deleted (with their timeline). Carries no personal data.',
  producer: 'functions/streams/publish-domain-events.ts (customer profile removed)',
  data: { customerId: Id, version: z.number().int() },
});
