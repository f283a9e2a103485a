/**
 * Every domain event Relay emits. `docs/events.md` is generated from this list
 * (`npm run docs:events`; a test fails when the file is stale).
 */
import { companyCreated } from '#events/companies/company-created';
import { companyDeleted } from '#events/companies/company-deleted';
import { companyUpdated } from '#events/companies/company-updated';
import { customerCreated } from '#events/customers/customer-created';
import { customerDeleted } from '#events/customers/customer-deleted';
import { customerLifecycleChanged } from '#events/customers/customer-lifecycle-changed';
import { customerPurgeRequested } from '#events/customers/customer-purge-requested';
import { customerPurged } from '#events/customers/customer-purged';
import { customerRestored } from '#events/customers/customer-restored';
import { customerStatsChanged } from '#events/customers/customer-stats-changed';
import { customerUpdated } from '#events/customers/customer-updated';
import { timelineEntryAdded } from '#events/timeline/timeline-entry-added';

export const catalog = [
  customerCreated,
  customerUpdated,
  customerDeleted,
  customerRestored,
  customerPurgeRequested,
  customerPurged,
  customerLifecycleChanged,
  customerStatsChanged,
  companyCreated,
  companyUpdated,
  companyDeleted,
  timelineEntryAdded,
] as const;

export type CatalogEvent = (typeof catalog)[number];
export type DetailType = CatalogEvent['detailType'];

export const eventByDetailType = (detailType: string): CatalogEvent | undefined =>
  catalog.find((event) => event.detailType === detailType);

export {
  companyCreated,
  companyDeleted,
  companyUpdated,
  customerCreated,
  customerDeleted,
  customerLifecycleChanged,
  customerPurged,
  customerPurgeRequested,
  customerRestored,
  customerStatsChanged,
  customerUpdated,
  timelineEntryAdded,
};
