/** The consent repository port; `shared/db/consent-store.ts` implements it on DynamoDB. */
import type { Page } from '#shared/db/pagination';
import type {
  StoredConsent,
  SubscriptionType,
  SubscriptionTypesView,
  Suppression,
} from '#shared/domain/consent/schemas';
import type { TimelineEntry } from '#shared/domain/timeline/schemas';

/** A customer's current subscription state: the `S#consents` summary item (version 0: none yet). */
export interface ConsentState {
  types: Record<string, StoredConsent>;
  version: number;
}

export interface ConsentStore {
  subscriptionTypes(): Promise<SubscriptionTypesView>;
  /** Replaces the types if the stored version is `expectedVersion` (412 otherwise). */
  putSubscriptionTypes(
    types: SubscriptionType[],
    expectedVersion: number,
    now: string,
  ): Promise<SubscriptionTypesView>;
  state(customerId: string): Promise<ConsentState>;
  /**
   * Writes the new state and its ledger entries atomically: the customer must exist and not be in
   * the recycle bin (404), and the state must still be at `expectedVersion` (412).
   */
  record(
    customerId: string,
    expectedVersion: number,
    next: ConsentState,
    entries: TimelineEntry[],
  ): Promise<void>;
  suppression(email: string): Promise<Suppression | undefined>;
  putSuppression(suppression: Suppression): Promise<void>;
  /** `false` when the address was not suppressed. */
  deleteSuppression(email: string): Promise<boolean>;
  listSuppressions(page: { limit: number; cursor?: string | undefined }): Promise<Page<Suppression>>;
}
