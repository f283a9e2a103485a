/** The customer repository port; `shared/db/customer-store.ts` implements it on DynamoDB. */
import type { Page } from '#shared/db/pagination';
import type { Customer } from '#shared/domain/customers/schemas';
import type { StatsDelta } from '#shared/domain/timeline/rules';
import type { CustomerStats, TimelineEntry } from '#shared/domain/timeline/schemas';

export interface TimelineFilter {
  type?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface NewEntry {
  entry: TimelineEntry;
  delta: StatsDelta;
}

export interface CustomerStore {
  /** Creates profile, stats, email guards, company link and `entries` atomically (409 on a taken email). */
  create(customer: Customer, entries: NewEntry[]): Promise<void>;
  get(id: string): Promise<Customer | undefined>;
  /**
   * Replaces `before` with `after` if the stored version is still `before.version` (else 412),
   * swapping email guards and company links and writing `entries` in the same transaction.
   */
  replace(before: Customer, after: Customer, entries: NewEntry[]): Promise<void>;
  /** Deletes the customer (if still at `customer.version`), its guards, link, stats and timeline. */
  remove(customer: Customer): Promise<void>;
  list(page: { limit: number; cursor?: string | undefined }): Promise<Page<Customer>>;
  findIdByEmail(email: string): Promise<string | undefined>;
  /** Profile, stats and the newest `latest` timeline entries in ONE Query. */
  view(
    id: string,
    latest: number,
  ): Promise<{ customer: Customer; stats: CustomerStats; latest: TimelineEntry[] } | undefined>;
  /** Appends entries (and updates stats) if the customer still exists; `after` optionally promotes its stage. */
  append(customer: Customer, entries: NewEntry[], after?: Customer): Promise<void>;
  timeline(customerId: string, filter: TimelineFilter): Promise<Page<TimelineEntry>>;
  contactsOf(
    companyId: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<Customer>>;
}
