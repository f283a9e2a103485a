/**
 * Rule `flag-serious-complaints` (events/rules.ts): a high or critical complaint flags the customer
 * as needing attention. Idempotent twice over: deduped per event id, and the update itself only
 * sets the flag (the first `attentionSince` is kept).
 */
import { timelineEntryAdded } from '#events/timeline/timeline-entry-added';
import { docClient } from '#shared/aws/clients';
import { flagCustomerForAttention } from '#shared/db/attention-store';
import { attentionFor } from '#shared/domain/timeline/attention';
import { dedupeTableName } from '#shared/events/config';
import { consumeEvent } from '#shared/events/consumer';
import { logger } from '#shared/http/logger';

export const handler = consumeEvent('flag-serious-complaints', timelineEntryAdded, async (detail) => {
  // Thin event: the severity and status ride beside the type (no entry body).
  const flag = attentionFor({ type: detail.type, occurredAt: detail.occurredAt, entry: detail });
  if (!flag) return;
  const flagged = await flagCustomerForAttention(docClient(), dedupeTableName(), detail.customerId, flag);
  if (!flagged) logger.info('Customer no longer exists; nothing to flag', { customerId: detail.customerId });
});
