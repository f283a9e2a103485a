import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';
import { LifecycleStage } from '#shared/domain/customers/schemas';

export const customerLifecycleChanged = defineEvent({
  detailType: 'customer.lifecycle_changed',
  source: 'relay.customers',
  version: 1,
  description:
    'A customer entered a lifecycle stage (on creation, by an update, or promoted by an order); `from` is null on creation.',
  producer: 'functions/streams/publish-domain-events.ts (lifecycle_change timeline entry inserted)',
  data: {
    customerId: Id,
    entryId: Id,
    from: z.nullable(LifecycleStage),
    to: LifecycleStage,
    reason: z.optional(z.string()),
  },
});
