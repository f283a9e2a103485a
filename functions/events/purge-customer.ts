/**
 * Rule `purge-customers` (events/rules.ts): a customer's tombstone was written (recycle bin window
 * passed, or an admin erased them) → remove every registered item holding their data
 * (`shared/domain/privacy/registry.ts`). Deduped per event id; the purge itself is idempotent and
 * resumable, so a retry after a timeout or crash finishes what is left. Logs ids and counts only.
 */
import { customerPurgeRequested } from '#events/customers/customer-purge-requested';
import { docClient } from '#shared/aws/clients';
import { purgeCustomerData } from '#shared/db/erasure-store';
import { dedupeTableName } from '#shared/events/config';
import { consumeEvent } from '#shared/events/consumer';
import { logger } from '#shared/http/logger';

export const handler = consumeEvent('purge-customers', customerPurgeRequested, async (detail) => {
  const { deletedItems } = await purgeCustomerData(
    docClient(),
    dedupeTableName(),
    detail.customerId,
    new Date().toISOString(),
  );
  logger.info('Customer purged', { customerId: detail.customerId, reason: detail.reason, deletedItems });
});
