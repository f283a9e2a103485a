/**
 * Customer use cases: create, read, update (optimistic locking), delete, list, email lookup, the
 * 360 view, and the timeline. Pure rules live in `rules.ts`; persistence behind `CustomerStore`.
 */
import type { Caller } from '#shared/auth/claims';
import type { ErasureStore, ExportReader } from '#shared/db/erasure-store';
import type { Page } from '#shared/db/pagination';
import type { Clock } from '#shared/domain/clock';
import { assertVersion, patched } from '#shared/domain/common/records';
import {
  applyAttributes,
  assertTransition,
  normalizeEmails,
  withPrimary,
} from '#shared/domain/customers/rules';
import type {
  Customer,
  CustomerCreate,
  CustomerExport,
  CustomerPatch,
  ErasureRequest,
  ErasureStatus,
  LifecycleStage,
} from '#shared/domain/customers/schemas';
import type { CustomerStore, NewEntry } from '#shared/domain/customers/store';
import type { CustomerView } from '#shared/domain/customers/view';
import { assertCanDelete, assertCanModify, ownerOnCreate, ownerOnUpdate } from '#shared/domain/policy';
import type { SettingsStore } from '#shared/domain/settings/store';
import {
  complaintChange,
  isCounting,
  nextOrderState,
  orderIdOf,
  statsDelta,
} from '#shared/domain/timeline/rules';
import type { TimelineEntry, TimelineEntryInput, TimelineEntryPatch } from '#shared/domain/timeline/schemas';
import { NotFoundError, PreconditionFailedError, ValidationError } from '#shared/errors';

export interface CustomerDeps {
  customers: CustomerStore;
  settings: SettingsStore;
  clock: Clock;
}

/** Wiring of the recycle bin, erasure and export use cases. */
export interface PrivacyDeps extends CustomerDeps {
  erasure: ErasureStore;
  exports: ExportReader;
  /** Days a deleted customer stays restorable in the recycle bin before it is purged. */
  recycleBinDays: number;
}

/** How far in the future an `occurredAt` may be (clock skew between systems). */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Attempts of an append whose stage promotion races a profile edit. */
const APPEND_ATTEMPTS = 3;

const notFound = () => new NotFoundError('Customer not found.');

const primaryOf = (emails: Customer['emails']): string | undefined => emails.find((e) => e.primary)?.address;

const lifecycleEntry = (
  deps: CustomerDeps,
  caller: Caller,
  customerId: string,
  from: LifecycleStage | null,
  to: LifecycleStage,
  reason: string,
  at: string,
): NewEntry => {
  const entry: TimelineEntry = {
    id: deps.clock.newId(),
    customerId,
    type: 'lifecycle_change',
    occurredAt: at,
    recordedAt: at,
    actor: { type: 'user', id: caller.sub },
    from,
    to,
    reason,
  };
  return { entry, delta: statsDelta(entry) };
};

export const createCustomer = async (
  deps: CustomerDeps,
  caller: Caller,
  input: CustomerCreate,
): Promise<Customer> => {
  const now = deps.clock.now().toISOString();
  const { definitions } = await deps.settings.attributeDefinitions();
  const emails = normalizeEmails(input.emails ?? []);
  const customer: Customer = {
    id: deps.clock.newId(),
    firstName: input.firstName,
    lastName: input.lastName,
    primaryEmail: primaryOf(emails),
    emails,
    phones: withPrimary(input.phones ?? []),
    companyId: input.companyId,
    jobTitle: input.jobTitle,
    lifecycleStage: input.lifecycleStage ?? 'lead',
    ownerId: ownerOnCreate(caller, input.ownerId),
    tags: input.tags ?? [],
    attributes: applyAttributes(definitions, {}, input.attributes ?? {}),
    source: input.source,
    channel: input.channel,
    timezone: input.timezone,
    locale: input.locale,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  // The initial stage is the first lifecycle change on the timeline (time-in-stage starts here).
  await deps.customers.create(customer, [
    lifecycleEntry(deps, caller, customer.id, null, customer.lifecycleStage, 'created', now),
  ]);
  return customer;
};

/** A customer that exists and is not in the recycle bin (a binned one is hidden everywhere: 404). */
export const getCustomer = async (deps: CustomerDeps, id: string): Promise<Customer> => {
  const customer = await deps.customers.get(id);
  if (!customer || customer.deletedAt !== undefined) throw notFound();
  return customer;
};

export const updateCustomer = async (
  deps: CustomerDeps,
  caller: Caller,
  id: string,
  patch: CustomerPatch,
  expectedVersion: number,
): Promise<Customer> => {
  const before = await getCustomer(deps, id);
  // Authorization before the precondition: a refused change is 403 whatever its If-Match
  // (RFC 9110 §13.2.1).
  assertCanModify(caller, before, 'customer');
  const ownerId = ownerOnUpdate(caller, patch.ownerId, before.ownerId);
  assertVersion('customer', before, expectedVersion);
  const now = deps.clock.now().toISOString();
  const emails = patch.emails ? normalizeEmails(patch.emails) : before.emails;
  const attributes =
    patch.attributes === undefined
      ? before.attributes
      : applyAttributes(
          (await deps.settings.attributeDefinitions()).definitions,
          before.attributes,
          patch.attributes,
        );
  const stage = patch.lifecycleStage ?? before.lifecycleStage;
  assertTransition(before.lifecycleStage, stage);
  const after: Customer = {
    ...before,
    firstName: patched(patch.firstName, before.firstName),
    lastName: patched(patch.lastName, before.lastName),
    emails,
    primaryEmail: primaryOf(emails),
    phones: patch.phones ? withPrimary(patch.phones) : before.phones,
    companyId: patched(patch.companyId, before.companyId),
    jobTitle: patched(patch.jobTitle, before.jobTitle),
    lifecycleStage: stage,
    ownerId,
    tags: patch.tags ?? before.tags,
    attributes,
    source: patched(patch.source, before.source),
    channel: patched(patch.channel, before.channel),
    timezone: patched(patch.timezone, before.timezone),
    locale: patched(patch.locale, before.locale),
    updatedAt: now,
    version: before.version + 1,
  };
  if (after.firstName === undefined && after.lastName === undefined && after.emails.length === 0) {
    throw new ValidationError('A customer needs a name or an email address.', {
      errors: [{ path: 'body', message: 'a customer needs a name or an email address' }],
    });
  }
  const entries =
    stage !== before.lifecycleStage
      ? [lifecycleEntry(deps, caller, id, before.lifecycleStage, stage, 'updated', now)]
      : [];
  await deps.customers.replace(before, after, entries);
  return after;
};

const DAY_MS = 86_400_000;

/**
 * `DELETE /customers/{id}`: moves the customer to the recycle bin for `recycleBinDays`. It is
 * hidden from lists, lookups, the 360 view and the timeline, and restorable until `purgeAt`.
 */
export const deleteCustomer = async (
  deps: PrivacyDeps,
  caller: Caller,
  id: string,
  expectedVersion: number,
): Promise<void> => {
  const customer = await getCustomer(deps, id);
  assertCanDelete(caller, customer, 'customer'); // before the precondition (RFC 9110 §13.2.1)
  assertVersion('customer', customer, expectedVersion);
  const now = deps.clock.now();
  await deps.customers.bin(customer, {
    ...customer,
    deletedAt: now.toISOString(),
    purgeAt: new Date(now.getTime() + deps.recycleBinDays * DAY_MS).toISOString(),
    updatedAt: now.toISOString(),
    version: customer.version + 1,
  });
};

/** `POST /customers/{id}/restore`: takes a binned customer back, with its whole timeline. */
export const restoreCustomer = async (deps: PrivacyDeps, caller: Caller, id: string): Promise<Customer> => {
  const binned = await deps.customers.get(id);
  if (!binned || binned.deletedAt === undefined) {
    throw new NotFoundError('No customer with this id is in the recycle bin.');
  }
  assertCanDelete(caller, binned, 'customer');
  const { deletedAt: _deletedAt, purgeAt: _purgeAt, ...rest } = binned;
  const restored: Customer = {
    ...rest,
    updatedAt: deps.clock.now().toISOString(),
    version: binned.version + 1,
  };
  await deps.customers.restore(binned, restored);
  return restored;
};

/**
 * `POST /customers/{id}/erase` (admin): the right to erasure. Writes the tombstone at once (binned
 * or not) and answers; the purge runs asynchronously from its event. A second request is a no-op
 * that answers the same status.
 */
export const eraseCustomer = async (
  deps: PrivacyDeps,
  caller: Caller,
  id: string,
  request: ErasureRequest,
): Promise<ErasureStatus> => {
  const existing = await deps.erasure.status(id);
  if (existing) return existing;
  const customer = await deps.customers.get(id);
  if (!customer) throw notFound();
  const { status } = await deps.erasure.requestPurge({
    customerId: id,
    reason: 'erasure',
    category: request.reason,
    status: 'pending',
    requestedAt: deps.clock.now().toISOString(),
    requestedBy: caller.sub,
  });
  return status;
};

/** `GET /customers/{id}/erasure`: the state of a purge or erasure request. */
export const erasureStatus = async (deps: PrivacyDeps, id: string): Promise<ErasureStatus> => {
  const status = await deps.erasure.status(id);
  if (!status) throw new NotFoundError('No purge or erasure was requested for this customer.');
  return status;
};

/** `GET /customers/{id}/export` (admin): everything held about the customer, page by page. */
export const exportCustomer = async (
  deps: PrivacyDeps,
  id: string,
  cursor: string | undefined,
): Promise<CustomerExport> => {
  const customer = await deps.customers.get(id);
  if (!customer) throw notFound();
  const page = await deps.exports.exportPage(id, cursor);
  return { customerId: id, exportedAt: deps.clock.now().toISOString(), ...page };
};

/** The scheduled sweep: requests the purge of every binned customer whose window has passed. */
export const sweepRecycleBin = async (
  deps: Pick<PrivacyDeps, 'erasure' | 'clock'>,
  limit = 1000,
): Promise<string[]> => {
  const now = deps.clock.now().toISOString();
  const due = await deps.erasure.dueForPurge(now, limit);
  const requested: string[] = [];
  for (const customerId of due) {
    const written = await deps.erasure.requestRetentionPurge(
      {
        customerId,
        reason: 'retention',
        status: 'pending',
        requestedAt: now,
        requestedBy: 'system:recycle-bin',
      },
      now,
    );
    if (written) requested.push(customerId);
  }
  return requested;
};

export const listCustomers = async (
  deps: CustomerDeps,
  query: { limit: number; cursor?: string | undefined; email?: string | undefined },
): Promise<Page<Customer>> => {
  if (query.email !== undefined) {
    const id = await deps.customers.findIdByEmail(query.email);
    const customer = id ? await deps.customers.get(id) : undefined;
    return { items: customer && customer.deletedAt === undefined ? [customer] : [], nextCursor: null };
  }
  return deps.customers.list({ limit: query.limit, cursor: query.cursor });
};

export const customerView = async (deps: CustomerDeps, id: string, latest: number): Promise<CustomerView> => {
  const view = await deps.customers.view(id, latest);
  if (!view || view.customer.deletedAt !== undefined) throw notFound();
  return view as CustomerView;
};

/** Stages an order promotes from, and why. */
const promotionByOrder: Partial<Record<LifecycleStage, string>> = {
  subscriber: 'first order',
  lead: 'first order',
  prospect: 'first order',
  churned: 'reactivated by an order',
};

export const appendTimelineEntry = async (
  deps: CustomerDeps,
  caller: Caller,
  customerId: string,
  input: TimelineEntryInput,
): Promise<TimelineEntry> => {
  const customer = await getCustomer(deps, customerId);
  const now = deps.clock.now();
  const occurredAt = input.occurredAt ?? now.toISOString();
  if (Date.parse(occurredAt) > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new ValidationError('An interaction cannot happen in the future.', {
      errors: [{ path: 'body.occurredAt', message: 'must not be in the future', code: 'future_date' }],
    });
  }
  const entry: TimelineEntry = {
    ...input,
    id: deps.clock.newId(),
    customerId,
    occurredAt,
    recordedAt: now.toISOString(),
    // The writer is the authenticated caller; a client states a `source` beside it, never an actor.
    actor: { type: 'user', id: caller.sub },
  };
  // A first order also promotes the stage, which writes the profile under its version. A
  // concurrent profile edit then fails that condition; the append re-reads and tries again, so
  // the interaction is never lost to an unrelated edit.
  let current = customer;
  for (let attempt = 1; ; attempt++) {
    const entries: NewEntry[] = [await newEntry(deps, entry)];
    const reason = promotionByOrder[current.lifecycleStage];
    let promoted: Customer | undefined;
    if (input.type === 'order' && isCounting(input.status) && reason) {
      promoted = {
        ...current,
        lifecycleStage: 'customer',
        updatedAt: now.toISOString(),
        version: current.version + 1,
      };
      entries.push(
        lifecycleEntry(
          deps,
          caller,
          customerId,
          current.lifecycleStage,
          'customer',
          reason,
          now.toISOString(),
        ),
      );
    }
    try {
      await deps.customers.append(current, entries, promoted);
      return entry;
    } catch (error) {
      const retryable = (promoted || entry.type === 'order') && error instanceof PreconditionFailedError;
      if (!(retryable && attempt < APPEND_ATTEMPTS)) throw error;
      current = await getCustomer(deps, customerId);
    }
  }
};

/** An entry with its stats change; an order entry is applied to its order's stored state. */
const newEntry = async (deps: CustomerDeps, entry: TimelineEntry): Promise<NewEntry> => {
  if (entry.type !== 'order') return { entry, delta: statsDelta(entry) };
  const before = await deps.customers.order(entry.customerId, orderIdOf(entry));
  const order = { before, after: nextOrderState(before, entry) };
  return { entry, delta: statsDelta(entry, order), order };
};

/** An entry's version: entries start at 1 (stored without the attribute until first updated). */
const entryVersion = (entry: TimelineEntry): number =>
  typeof entry.version === 'number' ? entry.version : 1;

export const getTimelineEntry = async (
  deps: CustomerDeps,
  customerId: string,
  entryId: string,
): Promise<TimelineEntry> => {
  await getCustomer(deps, customerId);
  const entry = await deps.customers.entry(customerId, entryId);
  if (!entry) throw new NotFoundError('Timeline entry not found.');
  return { ...entry, version: entryVersion(entry) };
};

/** Entry types whose status (and, for complaints, severity) can change after they were recorded. */
const updatableTypes: ReadonlySet<string> = new Set(['complaint', 'support_request']);

/**
 * Resolves, reopens or re-grades a complaint or support request (optimistic locking on the entry's
 * version). The entry keeps its place in the timeline; `openComplaints`, `openSeriousComplaints`
 * and the attention flag follow.
 */
export const updateTimelineEntry = async (
  deps: CustomerDeps,
  caller: Caller,
  customerId: string,
  entryId: string,
  patch: TimelineEntryPatch,
  expectedVersion: number,
): Promise<TimelineEntry> => {
  await getCustomer(deps, customerId);
  const stored = await deps.customers.entry(customerId, entryId);
  if (!stored) throw new NotFoundError('Timeline entry not found.');
  const version = entryVersion(stored);
  const before: TimelineEntry = { ...stored, version };
  assertVersion('timeline entry', { version }, expectedVersion);
  if (!updatableTypes.has(before.type)) {
    throw new ValidationError('Only complaints and support requests can be updated.', {
      errors: [
        { path: 'path.entryId', message: `a ${before.type} entry cannot be updated`, code: 'not_updatable' },
      ],
    });
  }
  if (patch.severity !== undefined && before.type !== 'complaint') {
    throw new ValidationError('Only complaints have a severity.', {
      errors: [{ path: 'body.severity', message: 'only complaints have a severity', code: 'not_applicable' }],
    });
  }
  const now = deps.clock.now().toISOString();
  const status = patch.status ?? (before.status as string | undefined) ?? 'open';
  const wasResolved = before.status === 'resolved';
  const after: TimelineEntry = { ...before, status, updatedAt: now, version: version + 1 };
  if (patch.severity !== undefined) after.severity = patch.severity;
  if (status === 'resolved') {
    after.resolvedAt = wasResolved ? before.resolvedAt : now;
    after.resolvedBy = wasResolved ? before.resolvedBy : caller.sub;
  } else {
    delete after.resolvedAt;
    delete after.resolvedBy;
  }
  if (patch.resolution === null) delete after.resolution;
  else if (patch.resolution !== undefined) after.resolution = patch.resolution;
  const counters = before.type === 'complaint' ? complaintChange(before, after) : {};
  await deps.customers.updateEntry({
    before: stored,
    after,
    delta: { counters, revenueMinor: {}, latest: {} },
  });
  return after;
};

export const listTimeline = async (
  deps: CustomerDeps,
  customerId: string,
  query: {
    limit: number;
    cursor?: string | undefined;
    type?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
): Promise<Page<TimelineEntry>> => {
  await getCustomer(deps, customerId);
  return deps.customers.timeline(customerId, query);
};
