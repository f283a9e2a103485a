import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

export const customerRestored = defineEvent({
  detailType: 'customer.restored',
  source: 'relay.customers',
  version: 1,
  description: 'A deleted customer was restored from the recycle bin, with their whole timeline.',
  producer: 'functions/streams/publish-domain-events.ts (customer profile: `deletedAt` removed)',
  data: { customerId: Id, version: z.int() },
});
