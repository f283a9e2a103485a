/** The webhooks capability's data: no events of its own; the erasure rules of its item types. */
import { defineCapabilityData } from '#shared/capabilities/capability-data';

export const webhooksData = defineCapabilityData({
  name: 'webhooks',
  events: [],
  streamMappers: {},
  items: {
    webhook: {
      description: 'Webhook subscription',
      erasure: { kind: 'none', reason: 'an integrator endpoint' },
    },
    webhookDelivery: {
      description: 'Webhook delivery record',
      erasure: {
        kind: 'none',
        reason:
          'holds the event it delivers, which carries ids and field names only (thin events, docs/events.md), and expires after 30 days',
      },
    },
  },
});
