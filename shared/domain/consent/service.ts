/**
 * Consent use cases: subscription types (admins), a customer's subscription state and its ledger,
 * one-click unsubscribe and the preference page (token-bound, public), and the suppression list.
 *
 * The ledger is append-only: every grant or withdrawal is a `consent_change` entry on the customer's
 * timeline, written in one transaction with the derived current state (`S#consents`), so the state
 * can never disagree with its history. A type with nothing recorded has its default: `opt_out`
 * types are subscribed, `opt_in` types are not.
 */
import type { Caller } from '#shared/auth/claims';
import type { CursorKeys } from '#shared/db/cursor';
import { normalizeEmail } from '#shared/db/keys';
import type { Page } from '#shared/db/pagination';
import type { Clock } from '#shared/domain/clock';
import { assertVersion } from '#shared/domain/common/records';
import type {
  ConsentProof,
  ConsentRecord,
  ConsentSource,
  ConsentStatus,
  StoredConsent,
  Subscription,
  SubscriptionsChange,
  SubscriptionsView,
  SubscriptionType,
  SubscriptionTypes,
  SubscriptionTypesView,
  Suppression,
  SuppressionPut,
} from '#shared/domain/consent/schemas';
import type { ConsentStore } from '#shared/domain/consent/store';
import {
  type ConsentTokenClaims,
  expiryIn,
  signConsentToken,
  UNSUBSCRIBE_TOKEN_DAYS,
  verifyConsentToken,
} from '#shared/domain/consent/tokens';
import type { CustomerStore } from '#shared/domain/customers/store';
import { assertCanModify } from '#shared/domain/policy';
import type { TimelineEntry } from '#shared/domain/timeline/schemas';
import { NotFoundError, PreconditionFailedError, ValidationError } from '#shared/errors';

export interface ConsentDeps {
  consent: ConsentStore;
  customers: CustomerStore;
  clock: Clock;
  /** The key ring that signs and opens the public links (the stage's cursor key secret). */
  tokenKeys: CursorKeys;
}

const RECORD_ATTEMPTS = 3;

// ── subscription types ─────────────────────────────────────────────────────────────────────────

export const getSubscriptionTypes = (deps: ConsentDeps): Promise<SubscriptionTypesView> =>
  deps.consent.subscriptionTypes();

/**
 * Replaces the types. A type once declared stays (archive it instead): the ledger and the links
 * in sent emails name it. Its legal basis and default may change; history keeps what applied.
 */
export const putSubscriptionTypes = async (
  deps: ConsentDeps,
  input: SubscriptionTypes,
  expectedVersion: number | undefined = input.version,
): Promise<SubscriptionTypesView> => {
  const current = await deps.consent.subscriptionTypes();
  if (expectedVersion !== undefined) assertVersion('subscription types', current, expectedVersion);
  const kept = new Set(input.types.map((t) => t.id));
  const removed = current.types.filter((t) => !kept.has(t.id));
  if (removed.length > 0) {
    throw new ValidationError('Subscription types cannot be removed; archive them instead.', {
      errors: removed.map((t) => ({
        path: 'body.types',
        message: `type ${t.id} is missing (set "archived": true to retire it)`,
        code: 'type_removed',
      })),
    });
  }
  return deps.consent.putSubscriptionTypes(input.types, current.version, deps.clock.now().toISOString());
};

// ── a customer's subscriptions ─────────────────────────────────────────────────────────────────

const defaultStatus = (type: SubscriptionType): ConsentStatus =>
  type.default === 'opt_out' ? 'subscribed' : 'unsubscribed';

const statusOf = (type: SubscriptionType, stored: StoredConsent | undefined): ConsentStatus =>
  stored?.status ?? defaultStatus(type);

const viewOf = (
  customerId: string,
  types: SubscriptionType[],
  state: { types: Record<string, StoredConsent>; version: number },
): SubscriptionsView => ({
  customerId,
  subscriptions: types
    .filter((type) => !type.archived || state.types[type.id] !== undefined)
    .map(
      (type): Subscription => ({
        type: type.id,
        name: type.name,
        status: statusOf(type, state.types[type.id]),
        explicit: state.types[type.id] !== undefined,
        legalBasis: type.legalBasis,
        changedAt: state.types[type.id]?.changedAt ?? null,
        source: state.types[type.id]?.source ?? null,
      }),
    ),
  version: state.version,
});

/** The customer, unless missing or in the recycle bin. */
const liveCustomer = async (deps: ConsentDeps, customerId: string) => {
  const customer = await deps.customers.get(customerId);
  return customer && customer.deletedAt === undefined ? customer : undefined;
};

const existingCustomer = async (deps: ConsentDeps, customerId: string) => {
  const customer = await liveCustomer(deps, customerId);
  if (!customer) throw new NotFoundError('Customer not found.');
  return customer;
};

export const getSubscriptions = async (deps: ConsentDeps, customerId: string): Promise<SubscriptionsView> => {
  await existingCustomer(deps, customerId);
  const [{ types }, state] = await Promise.all([
    deps.consent.subscriptionTypes(),
    deps.consent.state(customerId),
  ]);
  return viewOf(customerId, types, state);
};

interface Change {
  type: string;
  status: 'subscribed' | 'unsubscribed';
}

interface RecordOptions {
  source: ConsentSource;
  actor: TimelineEntry['actor'];
  proof?: ConsentProof | undefined;
  /** The version the caller read; absent: apply to the current state (retried on a race). */
  expectedVersion?: number | undefined;
}

/**
 * Applies `changes` to the current state and records one ledger entry per type whose status
 * moves; a change to the status a type already has records nothing (an idempotent replay).
 */
const applyChanges = async (
  deps: ConsentDeps,
  customerId: string,
  changes: readonly Change[],
  options: RecordOptions,
): Promise<SubscriptionsView> => {
  const { types } = await deps.consent.subscriptionTypes();
  const byId = new Map(types.map((t) => [t.id, t]));
  const unknown = changes.filter((c) => !byId.has(c.type));
  const archived = changes.filter((c) => c.status === 'subscribed' && byId.get(c.type)?.archived);
  if (unknown.length > 0 || archived.length > 0) {
    throw new ValidationError('Some subscription types cannot be changed.', {
      errors: [
        ...unknown.map((c) => ({
          path: `body.changes[${changes.indexOf(c)}].type`,
          message: `no subscription type ${c.type}`,
          code: 'unknown_type',
        })),
        ...archived.map((c) => ({
          path: `body.changes[${changes.indexOf(c)}].type`,
          message: `subscription type ${c.type} is archived`,
          code: 'archived_type',
        })),
      ],
    });
  }
  for (let attempt = 1; ; attempt++) {
    const state = await deps.consent.state(customerId);
    if (options.expectedVersion !== undefined) assertVersion('subscriptions', state, options.expectedVersion);
    const now = deps.clock.now().toISOString();
    const next = { types: { ...state.types }, version: state.version + 1 };
    const entries: TimelineEntry[] = [];
    for (const change of changes) {
      const type = byId.get(change.type) as SubscriptionType;
      const previous = statusOf(type, state.types[type.id]);
      // Double opt-in: a grant waits for the confirmation link; a withdrawal is immediate.
      const status: ConsentStatus =
        change.status === 'subscribed' && type.doubleOptIn && options.source !== 'double-opt-in'
          ? previous === 'subscribed'
            ? 'subscribed'
            : 'pending'
          : change.status;
      // Same status as recorded: nothing to record. Stating a default explicitly is recorded (proof).
      if (status === previous && state.types[type.id] !== undefined) continue;
      next.types[type.id] = { status, changedAt: now, source: options.source };
      entries.push({
        id: deps.clock.newId(),
        customerId,
        type: 'consent_change',
        occurredAt: now,
        recordedAt: now,
        actor: options.actor,
        subscriptionType: type.id,
        status,
        previousStatus: previous,
        consentSource: options.source,
        legalBasis: type.legalBasis,
        ...(options.proof ? { proof: options.proof } : {}),
      });
    }
    if (entries.length === 0) return viewOf(customerId, types, state);
    try {
      await deps.consent.record(customerId, state.version, next, entries);
      return viewOf(customerId, types, next);
    } catch (error) {
      const retry =
        error instanceof PreconditionFailedError &&
        options.expectedVersion === undefined &&
        attempt < RECORD_ATTEMPTS;
      if (!retry) throw error;
    }
  }
};

/** Staff record a change on the customer's behalf: the profile's change rule applies (owner). */
export const changeSubscriptions = async (
  deps: ConsentDeps,
  caller: Caller,
  customerId: string,
  input: SubscriptionsChange,
  expectedVersion: number | undefined,
): Promise<SubscriptionsView> => {
  const customer = await existingCustomer(deps, customerId);
  assertCanModify(caller, customer, 'customer');
  return applyChanges(deps, customerId, input.changes, {
    source: input.source,
    actor: { type: 'user', id: caller.sub },
    proof: input.proof,
    expectedVersion,
  });
};

const recordOf = (entry: TimelineEntry): ConsentRecord => ({
  id: entry.id,
  customerId: entry.customerId,
  type: String(entry.subscriptionType),
  status: entry.status as ConsentStatus,
  previousStatus: entry.previousStatus as ConsentStatus,
  source: entry.consentSource as ConsentSource,
  legalBasis: entry.legalBasis as ConsentRecord['legalBasis'],
  at: entry.occurredAt,
  actor: entry.actor,
  ...(entry.proof ? { proof: entry.proof as ConsentProof } : {}),
});

/** The ledger, newest first: the customer's `consent_change` timeline entries. */
export const consentHistory = async (
  deps: ConsentDeps,
  customerId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<ConsentRecord>> => {
  await existingCustomer(deps, customerId);
  const result = await deps.customers.timeline(customerId, { type: 'consent_change', ...page });
  return { items: result.items.map(recordOf), nextCursor: result.nextCursor };
};

// ── public links: one-click unsubscribe and the preference page ────────────────────────────────

/** The signed token of the unsubscribe and preference links in a marketing email. */
export const unsubscribeToken = async (
  deps: Pick<ConsentDeps, 'tokenKeys' | 'clock'>,
  customerId: string,
  type: string,
): Promise<string> =>
  signConsentToken(await deps.tokenKeys(), {
    purpose: 'unsubscribe',
    customerId,
    type,
    exp: expiryIn(UNSUBSCRIBE_TOKEN_DAYS, deps.clock.now().getTime()),
  });

const claimsOf = async (deps: ConsentDeps, token: string): Promise<ConsentTokenClaims> =>
  verifyConsentToken(await deps.tokenKeys(), token, 'unsubscribe', deps.clock.now().getTime());

/** The customer acting through a link they were sent. */
const linkActor = (customerId: string): TimelineEntry['actor'] => ({ type: 'customer', id: customerId });

/**
 * RFC 8058 one-click: unsubscribes the token's customer from the token's type at once. A
 * customer erased or binned since the email was sent gets the same answer (nothing to change).
 */
export const oneClickUnsubscribe = async (
  deps: ConsentDeps,
  token: string,
  proof: ConsentProof,
): Promise<void> => {
  const claims = await claimsOf(deps, token);
  if (!(await liveCustomer(deps, claims.customerId))) return;
  await applyChanges(deps, claims.customerId, [{ type: claims.type, status: 'unsubscribed' }], {
    source: 'one-click',
    actor: linkActor(claims.customerId),
    proof,
  });
};

export interface PreferencePage {
  /** The type the link came from (highlighted). */
  linkType: string;
  subscriptions: Subscription[];
  /** Types that ask for a confirmation email before a subscription starts. */
  doubleOptIn: ReadonlySet<string>;
}

const offeredOf = (types: SubscriptionType[]): SubscriptionType[] => types.filter((t) => !t.archived);

/** The page of the offered types, from a view of the customer's subscriptions. */
const pageOf = (linkType: string, offered: SubscriptionType[], view: SubscriptionsView): PreferencePage => {
  const ids = new Set(offered.map((t) => t.id));
  return {
    linkType,
    subscriptions: view.subscriptions.filter((s) => ids.has(s.type)),
    doubleOptIn: new Set(offered.filter((t) => t.doubleOptIn).map((t) => t.id)),
  };
};

export const preferencePage = async (
  deps: ConsentDeps,
  token: string,
): Promise<PreferencePage | undefined> => {
  const claims = await claimsOf(deps, token);
  if (!(await liveCustomer(deps, claims.customerId))) return undefined;
  const [{ types }, state] = await Promise.all([
    deps.consent.subscriptionTypes(),
    deps.consent.state(claims.customerId),
  ]);
  const offered = offeredOf(types);
  return pageOf(claims.type, offered, viewOf(claims.customerId, offered, state));
};

/** The preference form: every offered type is subscribed exactly when it is checked. */
export const savePreferences = async (
  deps: ConsentDeps,
  token: string,
  checked: readonly string[],
  proof: ConsentProof,
): Promise<PreferencePage | undefined> => {
  const claims = await claimsOf(deps, token);
  if (!(await liveCustomer(deps, claims.customerId))) return undefined;
  const { types } = await deps.consent.subscriptionTypes();
  const offered = offeredOf(types);
  const unknown = checked.filter((id) => !offered.some((t) => t.id === id));
  if (unknown.length > 0) {
    throw new ValidationError('The form names subscription types that are not offered.', {
      errors: unknown.map((id) => ({ path: 'body.subscribed', message: `no subscription type ${id}` })),
    });
  }
  const wanted = new Set(checked);
  // applyChanges answers the state after the save: the page needs no second read.
  const view = await applyChanges(
    deps,
    claims.customerId,
    offered.map((t) => ({ type: t.id, status: wanted.has(t.id) ? 'subscribed' : 'unsubscribed' })),
    { source: 'preference-page', actor: linkActor(claims.customerId), proof },
  );
  return pageOf(claims.type, offered, view);
};

// ── suppression list ───────────────────────────────────────────────────────────────────────────

export const listSuppressions = async (
  deps: ConsentDeps,
  query: { limit: number; cursor?: string | undefined; email?: string | undefined },
): Promise<Page<Suppression>> => {
  if (query.email !== undefined) {
    const found = await deps.consent.suppression(query.email);
    return { items: found ? [found] : [], nextCursor: null };
  }
  return deps.consent.listSuppressions(query);
};

export const getSuppression = async (deps: ConsentDeps, email: string): Promise<Suppression> => {
  const found = await deps.consent.suppression(email);
  if (!found) throw new NotFoundError('This address is not suppressed.');
  return found;
};

/** Suppresses (or re-reasons) an address; the first suppression time is kept. */
export const putSuppression = async (
  deps: ConsentDeps,
  caller: Caller,
  email: string,
  input: SuppressionPut,
): Promise<Suppression> => {
  const existing = await deps.consent.suppression(email);
  const suppression: Suppression = {
    email: normalizeEmail(email),
    reason: input.reason,
    ...(input.note === undefined ? {} : { note: input.note }),
    suppressedAt: existing?.suppressedAt ?? deps.clock.now().toISOString(),
    suppressedBy: { type: 'user', id: caller.sub },
  };
  await deps.consent.putSuppression(suppression);
  return suppression;
};

export const deleteSuppression = async (deps: ConsentDeps, email: string): Promise<void> => {
  if (!(await deps.consent.deleteSuppression(email)))
    throw new NotFoundError('This address is not suppressed.');
};

/** A suppressed address receives nothing, transactional mail included. */
export const isSuppressed = async (deps: Pick<ConsentDeps, 'consent'>, email: string): Promise<boolean> =>
  (await deps.consent.suppression(email)) !== undefined;
