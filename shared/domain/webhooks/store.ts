/** The webhook repository port; `shared/db/webhook-store.ts` implements it on DynamoDB. */
import type { Page } from '#shared/db/pagination';
import type { Delivery, DeliveryStatus, Webhook } from '#shared/domain/webhooks/schemas';
import type { WebhookEvent } from '#shared/domain/webhooks/service';

/** A delivery record as stored: the log entry plus the (thin) event it delivers. */
export type StoredDelivery = Delivery & { event?: WebhookEvent };

/**
 * A subscription with its signing secret, sealed (envelope-encrypted under the webhook secrets KMS
 * key, bound to the webhook id): only the delivery task can open it.
 */
export interface StoredWebhook extends Webhook {
  sealedSecret?: string | undefined;
  /**
   * @deprecated the plaintext secret of subscriptions created before secrets were sealed; still
   * honoured by the delivery task (docs/webhooks.md, "Secrets at rest"). New items never have it.
   */
  secret?: string | undefined;
}

export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  at: string;
}

export interface WebhookStore {
  /** Stores a new subscription (409 if the id exists). */
  create(webhook: StoredWebhook): Promise<void>;
  get(id: string): Promise<StoredWebhook | undefined>;
  list(page: { limit: number; cursor?: string | undefined }): Promise<Page<StoredWebhook>>;
  /** Every subscription (all pages of the one subscriptions partition), for the dispatcher. */
  all(): Promise<StoredWebhook[]>;
  /** Deletes the subscription if still at `webhook.version` (412), then its delivery log. */
  remove(webhook: Webhook): Promise<void>;
  /** Marks the subscription inactive (the receiver answered 410 Gone); no-op when already gone. */
  deactivate(id: string, at: string): Promise<void>;
  /** Puts a pending delivery unless one with the same id exists; false when it already did. */
  /** Writes a pending delivery with the event it delivers, once (`false` when it exists). */
  createDelivery(delivery: Delivery, event: WebhookEvent): Promise<boolean>;
  /** The delivery with its event (what the workflow's attempt sends). */
  getDelivery(webhookId: string, deliveryId: string): Promise<StoredDelivery | undefined>;
  /** Counts one attempt on a pending delivery; `undefined` when it is missing or no longer pending. */
  recordAttempt(
    webhookId: string,
    deliveryId: string,
    outcome: AttemptOutcome,
  ): Promise<Delivery | undefined>;
  /** Moves a pending delivery to a final status; `undefined` when it is missing or already final. */
  finish(
    webhookId: string,
    deliveryId: string,
    status: Exclude<DeliveryStatus, 'pending'>,
    at: string,
    lastError?: string,
  ): Promise<Delivery | undefined>;
  deliveries(
    webhookId: string,
    query: { limit: number; cursor?: string | undefined; status?: DeliveryStatus | undefined },
  ): Promise<Page<Delivery>>;
}
