/**
 * Scheduled (hourly, `infra/constructs/recycle-bin.ts`): requests the purge of every customer whose
 * recycle-bin window has passed. It only writes tombstones; the purge runs from their
 * `customer.purge_requested` events. Safe to run twice: a tombstone is written once.
 */
import { docClient } from '#shared/aws/clients';
import { createErasureStore } from '#shared/db/erasure-store';
import { systemClock } from '#shared/domain/clock';
import { sweepRecycleBin } from '#shared/domain/customers/service';
import { dedupeTableName } from '#shared/events/config';
import { logger } from '#shared/http/logger';

const erasure = createErasureStore(docClient(), dedupeTableName());

export const handler = async (): Promise<{ requested: number }> => {
  const due = await sweepRecycleBin({ erasure, clock: systemClock });
  logger.info('Recycle bin swept', { requested: due.length });
  return { requested: due.length };
};
