/**
 * Scheduled (hourly, `infra/constructs/recycle-bin.ts`): empties the recycle bin of what is due.
 * - Customers: requests the purge of every customer whose window has passed. It only writes
 *   tombstones; the purge runs from their `customer.purge_requested` events.
 * - Companies: removes every company whose window has passed (profile + domain guard, one
 *   transaction each; a company holds no personal data and no contacts while binned).
 * Safe to run twice: a tombstone is written once, and a purged company is gone.
 */
import { docClient } from '#shared/aws/clients';
import { createCompanyStore } from '#shared/db/company-store';
import { createErasureStore } from '#shared/db/erasure-store';
import { systemClock } from '#shared/domain/clock';
import { sweepCompanyBin } from '#shared/domain/companies/service';
import { sweepRecycleBin } from '#shared/domain/customers/service';
import { dedupeTableName } from '#shared/events/config';
import { logger } from '#shared/http/logger';

const tableName = dedupeTableName();
const erasure = createErasureStore(docClient(), tableName);
const companies = createCompanyStore(docClient(), tableName);

export const handler = async (): Promise<{ requested: number; companiesPurged: number }> => {
  const due = await sweepRecycleBin({ erasure, clock: systemClock });
  const purged = await sweepCompanyBin({ companies, clock: systemClock });
  logger.info('Recycle bin swept', { requested: due.length, companiesPurged: purged.length });
  return { requested: due.length, companiesPurged: purged.length };
};
