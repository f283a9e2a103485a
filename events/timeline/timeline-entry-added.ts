import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';
import { EntryType, TimelineEntry } from '#shared/domain/timeline/schemas';

export const timelineEntryAdded = defineEvent({
  detailType: 'timeline.entry_added',
  source: 'relay.timeline',
  version: 1,
  description:
    'An interaction was appended to a customer’s timeline. `type` is the entry type, so rules can match `complaint`, `order`, `survey_response`…',
  producer: 'functions/streams/publish-domain-events.ts (timeline entry inserted)',
  data: {
    customerId: Id,
    entryId: Id,
    type: EntryType,
    occurredAt: TimelineEntry.shape.occurredAt,
    entry: TimelineEntry,
  },
});
