/**
 * The consent capability's data: its event, how its state item maps to it, and how its item
 * types are erased and exported (see `../capability-data.ts`).
 *
 * | item (`entity`) | INSERT / MODIFY                                         | REMOVE |
 * | --------------- | ------------------------------------------------------- | ------ |
 * | `consentState`  | customer.subscriptions_changed (types whose status moved) | —    |
 * | `suppression`   | —                                                       | —      |
 *
 * The ledger records are `consent_change` timeline entries (the customers capability's
 * `timelineEntry` item), so they publish `timeline.entry_added` and are erased and exported with
 * the timeline.
 */
import { customerSubscriptionsChanged } from '#events/consent/customer-subscriptions-changed';
import { defineCapabilityData } from '#shared/capabilities/capability-data';
import { entityOf } from '#shared/db/dynamo';
import { approximateTime, eventFrom, type Item, type StreamMapper } from '#shared/events/stream-mapping';

const statusesOf = (item: Item | undefined): Record<string, unknown> => {
  const types = (item?.types ?? {}) as Record<string, { status?: unknown } | undefined>;
  return Object.fromEntries(Object.entries(types).map(([type, state]) => [type, state?.status]));
};

const consentState: StreamMapper = (change) => {
  const { before, after } = change;
  if (!after || (change.eventName !== 'INSERT' && change.eventName !== 'MODIFY')) return [];
  const current = entityOf<Item>(after);
  const was = statusesOf(before ? entityOf<Item>(before) : undefined);
  const now = statusesOf(current);
  const moved = Object.keys(now)
    .filter((type) => now[type] !== was[type])
    .sort();
  if (moved.length === 0) return [];
  return [
    eventFrom(change, customerSubscriptionsChanged, approximateTime(change.record), {
      customerId: current.customerId,
      version: Number(current.version),
      subscriptionTypes: moved,
    }),
  ];
};

export const consentData = defineCapabilityData({
  name: 'consent',
  events: [customerSubscriptionsChanged],
  streamMappers: { consentState },
  items: {
    consentState: {
      description: 'Current subscription state per type (statuses, times, sources)',
      erasure: { kind: 'customerPartition' },
      exportSection: 'subscriptions',
    },
    suppression: {
      description: 'Suppressed address with its reason (hard bounce, complaint, manual)',
      erasure: {
        kind: 'none',
        reason:
          'an address that must receive nothing: kept after an erasure so the objection stays honoured; it holds the address and a reason, never a customer id (docs/consent.md)',
      },
    },
  },
});
