import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

/** For segments and journeys on subscription state: which types moved, never who or why. */
export const customerSubscriptionsChanged = defineEvent({
  detailType: 'customer.subscriptions_changed',
  source: 'relay.customers',
  version: 1,
  description:
    'A customer’s subscription state changed (a grant, a withdrawal, a pending double opt-in). `subscriptionTypes` names the types whose status moved; read the state with `GET /customers/{id}/subscriptions`.',
  producer: 'functions/streams/publish-domain-events.ts (consent state item inserted or modified)',
  data: {
    customerId: Id,
    version: z.int(),
    subscriptionTypes: z.array(z.string()).check(z.minLength(1)),
  },
});
