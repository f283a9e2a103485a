/** The stored item of a timeline entry, for every store that appends to a customer's timeline. */
import { stamp } from '#shared/db/dynamo';
import { timelineByTypeKeys, timelineEntryByIdKeys, timelineEntryKey } from '#shared/db/keys';
import type { TimelineEntry } from '#shared/domain/timeline/schemas';

/** `CUS#<id>` / `EVT#<occurredAt>#<id>`, with its by-type (gsi2) and by-id (gsi1) keys. */
export const entryItem = (e: TimelineEntry): Record<string, unknown> =>
  stamp({
    ...timelineEntryKey(e.customerId, e.occurredAt, e.id),
    ...timelineByTypeKeys(e.customerId, e.type, e.occurredAt, e.id),
    ...timelineEntryByIdKeys(e.customerId, e.id),
    entity: 'timelineEntry',
    ...e,
  });
