/**
 * Rule `purge-customers` (events/rules.ts): a customer's tombstone was written (recycle bin window
 * passed, or an admin erased them) → remove every registered item holding their data
 * (`shared/domain/privacy/registry.ts`). Deduped per event id, and idempotent past that: the
 * tombstone decides (`purgeCustomerData`) — a purge already done or a request that no longer
 * stands (the customer was restored) is a logged no-op, a missing request is thrown (retried, then
 * the DLQ). The purge itself is resumable, so a retry after a timeout or crash finishes what is
 * left. Logs ids and counts only.
 */
import { customerPurgeRequested } from '#events/customers/customer-purge-requested';
import { docClient } from '#shared/aws/clients';
import { purgeCustomerData } from '#shared/db/erasure-store';
import { dedupeTableName } from '#shared/events/config';
import { consumeEvent } from '#shared/events/consumer';
import { logger } from '#shared/http/logger';

export const handler = consumeEvent('purge-customers', customerPurgeRequested, async (detail) => {
  const { customerId, reason } = detail;
  const result = await purgeCustomerData(
    docClient(),
    dedupeTableName(),
    customerId,
    new Date().toISOString(),
  );
  switch (result.outcome) {
    case 'purged':
      logger.info('Customer purged', { customerId, reason, deletedItems: result.deletedItems });
      return;
    case 'alreadyPurged':
      logger.info('Customer already purged; nothing to do', { customerId, reason });
      return;
    case 'notRequested':
      logger.warn('Purge no longer requested (customer restored); nothing purged', {
        customerId,
        reason,
        binned: result.binned,
      });
      return;
  }
});
