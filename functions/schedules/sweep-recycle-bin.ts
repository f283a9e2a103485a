/**
 * Scheduled (hourly, `infra/constructs/recycle-bin.ts`; every minute on the local cloud): requests
 * the purge of every customer whose recycle-bin window has passed. It only writes tombstones; the
 * purge runs from their `customer.purge_requested` events. Safe to run twice: a tombstone is
 * written once.
 */
import { appDeps } from '#shared/deps';
import { sweepRecycleBin } from '#shared/domain/customers/service';
import { logger } from '#shared/http/logger';

export const handler = async (): Promise<{ requested: number }> => {
  const due = await sweepRecycleBin(appDeps());
  logger.info('Recycle bin swept', { requested: due.length });
  return { requested: due.length };
};
