/** The customer repository port; `shared/db/customer-store.ts` implements it on DynamoDB. */
import type { Page } from '#shared/db/pagination';
import type { Customer } from '#shared/domain/customers/schemas';
import type { OrderState, StatsDelta } from '#shared/domain/timeline/rules';
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
  /**
   * For an order entry: the order's stored state it was computed from (`before`, absent for a new
   * order) and the state to store (`after`, absent when the entry is older than the current status).
   * The write is conditional on `before` still being stored (else 412, and the caller re-reads).
   */
  order?: { before: OrderState | undefined; after: OrderState | undefined };
}

/** A change of a complaint's or support request's status or severity. */
export interface EntryChange {
  /** The entry as stored (its `version` absent until its first update). */
  before: TimelineEntry;
  after: TimelineEntry;
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
  /**
   * Moves the customer (if still at `customer.version`) to the recycle bin as `binned` (with
   * `deletedAt`/`purgeAt`): off the list, onto the bin index. Guards and timeline stay.
   */
  bin(customer: Customer, binned: Customer): Promise<void>;
  /** Takes a binned customer (still at `binned.version`, no purge requested) back as `restored`. */
  restore(binned: Customer, restored: Customer): Promise<void>;

  list(page: { limit: number; cursor?: string | undefined }): Promise<Page<Customer>>;
  findIdByEmail(email: string): Promise<string | undefined>;
  /** Profile, stats, the view's summary items and the newest `latest` timeline entries in ONE Query. */
  view(
    id: string,
    latest: number,
  ): Promise<
    | {
        customer: Customer;
        stats: CustomerStats;
        subscriptions: Record<string, { status: string; changedAt: string; source: string }>;
        latest: TimelineEntry[];
      }
    | undefined
  >;
  /** Appends entries (and updates stats) if the customer still exists; `after` optionally promotes its stage. */
  append(customer: Customer, entries: NewEntry[], after?: Customer): Promise<void>;
  timeline(customerId: string, filter: TimelineFilter): Promise<Page<TimelineEntry>>;
  /** One timeline entry by id (consistent read of the entry itself). */
  entry(customerId: string, entryId: string): Promise<TimelineEntry | undefined>;
  /** The stored state of one order. */
  order(customerId: string, orderId: string): Promise<OrderState | undefined>;
  /**
   * Replaces an entry if it is still as read (else 412) and applies `delta` to the stats in the
   * same transaction; then recomputes the attention flag (cleared when no serious complaint is open).
   */
  updateEntry(change: EntryChange): Promise<void>;
  contactsOf(
    companyId: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<Customer>>;
}
