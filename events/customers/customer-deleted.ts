import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

export const customerDeleted = defineEvent({
  detailType: 'customer.deleted',
  source: 'relay.customers',
  version: 1,
  description:
    'A customer was deleted: moved to the recycle bin, restorable until `purgeAt` (then `customer.purged`). Carries no personal data.',
  producer: 'functions/streams/publish-domain-events.ts (customer profile binned: `deletedAt` set)',
  data: {
    customerId: Id,
    version: z.int(),
    purgeAt: z.optional(z.iso.datetime({ offset: true })),
  },
});
