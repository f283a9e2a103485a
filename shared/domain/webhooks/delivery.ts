/**
 * One delivery attempt: the logic behind the webhook-delivery workflow's deliver task
 * (`functions/workflows/webhook-delivery/deliver-webhook.ts`; recording the final status is
 * `record.ts`, which needs no HTTP client).
 *
 * An attempt loads the subscription, re-checks its URL, signs the payload with a fresh timestamp,
 * POSTs it (10 s timeout, no redirects, every resolved address checked by the SSRF guard) and
 * counts the attempt on the delivery record. 2xx → delivered; 410 Gone → the subscription is
 * deactivated; anything else (other 4xx/5xx, timeouts, network errors) throws `DeliveryFailed`,
 * which the workflow's Retry matches by name and retries with backoff.
 */
import type { Clock } from '#shared/domain/clock';
import { type SecretOpener, UnopenableSecretError } from '#shared/domain/common/secrets';
import type { Delivery } from '#shared/domain/webhooks/schemas';
import type { DeliveryInput, WebhookEvent } from '#shared/domain/webhooks/service';
import { deliveryHeaders, secretContextOf } from '#shared/domain/webhooks/signing';
import type { WebhookStore } from '#shared/domain/webhooks/store';
import {
  BlockedAddressError,
  checkWebhookUrl,
  guardedLookup,
  type LookupAll,
} from '#shared/domain/webhooks/url-guard';

// node:http through `process.getBuiltinModule`, not an ESM import: importing node:http as ESM
// evaluates its lazy `WebSocket`/`CloseEvent`/`MessageEvent` getters, which loads undici (about
// 30 ms of cold init, measured in docs/adr/0014-bundle-size.md). The module itself is the same.
const { request: httpRequest } = process.getBuiltinModule('node:http');
const { request: httpsRequest } = process.getBuiltinModule('node:https');

/** How long a receiver has to answer one attempt. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** Thrown for a retryable failure; the ASL `Retry` matches `ErrorEquals: ["DeliveryFailed"]`. */
export class DeliveryFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryFailed';
  }
}

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  stage: string;
  timeoutMs: number;
}

/** Sends one POST and resolves with the status code (the response body is read and dropped). */
export type Sender = (request: OutgoingRequest) => Promise<{ status: number }>;

export interface DeliveryDeps {
  webhooks: WebhookStore;
  /** Opens the sealed signing secret (the only holder of `kms:Decrypt` on the secrets key). */
  secrets: SecretOpener;
  clock: Clock;
  stage: string;
  send?: Sender;
  /** Receiver timeout per attempt (default DELIVERY_TIMEOUT_MS). */
  timeoutMs?: number;
}

export type DeliverOutcome = 'delivered' | 'gone' | 'rejected' | 'skipped';

export interface DeliverResult {
  deliveryId: string;
  webhookId: string;
  outcome: DeliverOutcome;
  statusCode: number | null;
  attempts: number;
}

/** The JSON body receivers get (stable field order, so the signed bytes are reproducible). */
export const payloadOf = (event: WebhookEvent): string =>
  JSON.stringify({
    id: event.eventId,
    type: event.detailType,
    source: event.source,
    occurredAt: event.occurredAt,
    data: event.detail,
  });

/**
 * POST over node:http(s) with the SSRF-guarded lookup (the socket connects to an address the
 * guard checked), a hard timeout and no redirects. `resolve` replaces DNS (tests).
 */
export const httpSender =
  (resolve?: LookupAll): Sender =>
  ({ url, headers, body, stage, timeoutMs }) =>
    new Promise((done, fail) => {
      const target = new URL(url);
      const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup: guardedLookup(stage, resolve) as never,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          // Drain (never keep or echo) the receiver's body; the status code is all that counts.
          res.resume();
          res.on('end', () => done({ status: res.statusCode ?? 0 }));
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end(body);
    });

export const sendWebhook: Sender = httpSender();

/** A short, body-free description of a transport failure for the delivery log. */
const describeError = (error: unknown, timeoutMs: number): string => {
  const e = error as { name?: string; code?: string };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${timeoutMs / 1000} s`;
  if (error instanceof BlockedAddressError) return 'blocked: the host resolves to a private address';
  if (e.code) return `network error (${e.code})`;
  return 'network error';
};

const result = (input: DeliveryInput, outcome: DeliverOutcome, delivery?: Delivery): DeliverResult => ({
  deliveryId: input.deliveryId,
  webhookId: input.webhookId,
  outcome,
  statusCode: delivery?.lastStatusCode ?? null,
  attempts: delivery?.attempts ?? 0,
});

/** One attempt: resolves for delivered/gone/rejected/skipped, throws `DeliveryFailed` to retry. */
export const deliverWebhook = async (deps: DeliveryDeps, input: DeliveryInput): Promise<DeliverResult> => {
  const send = deps.send ?? sendWebhook;
  const timeoutMs = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const [webhook, delivery] = await Promise.all([
    deps.webhooks.get(input.webhookId),
    deps.webhooks.getDelivery(input.webhookId, input.deliveryId),
  ]);
  if (delivery?.status !== 'pending') return result(input, 'skipped', delivery);
  const attempt = (statusCode: number | null, error: string | null) =>
    deps.webhooks.recordAttempt(input.webhookId, input.deliveryId, {
      statusCode,
      error,
      at: deps.clock.now().toISOString(),
    });
  // Refusals before anything is sent end the delivery as `failed` without counting an attempt.
  const refuse = async (reason: string) =>
    result(
      input,
      'rejected',
      await deps.webhooks.finish(
        input.webhookId,
        input.deliveryId,
        'failed',
        deps.clock.now().toISOString(),
        reason,
      ),
    );
  if (!webhook?.active) return refuse('the subscription was deleted or deactivated');
  const check = checkWebhookUrl(webhook.url, deps.stage);
  if (!check.ok) return refuse(`URL not allowed: ${check.reason}`);
  const event = delivery.event ?? input.event;
  if (!event) return refuse('the delivery record holds no event to send');

  const body = payloadOf(event);
  let secret: string | undefined;
  try {
    // Items from before sealing keep a plaintext `secret` (deprecated, still honoured).
    secret = webhook.sealedSecret
      ? await deps.secrets.open(webhook.sealedSecret, secretContextOf(webhook.id))
      : webhook.secret;
  } catch (error) {
    // Tampered or bound to another subscription: retrying cannot help. KMS outages still throw.
    if (error instanceof UnopenableSecretError) return refuse('the signing secret cannot be opened');
    throw error;
  }
  if (!secret) return refuse('the subscription has no signing secret');
  const headers = deliveryHeaders(secret, body, {
    eventId: event.eventId,
    eventType: event.detailType,
    deliveryId: input.deliveryId,
    timestamp: Math.floor(deps.clock.now().getTime() / 1000),
  });
  let status: number;
  try {
    ({ status } = await send({
      url: webhook.url,
      headers,
      body,
      stage: deps.stage,
      timeoutMs,
    }));
  } catch (error) {
    const description = describeError(error, timeoutMs);
    const recorded = await attempt(null, description);
    if (error instanceof BlockedAddressError) return result(input, 'rejected', recorded);
    throw new DeliveryFailed(`attempt ${recorded?.attempts ?? '?'}: ${description}`);
  }
  if (status >= 200 && status < 300) return result(input, 'delivered', await attempt(status, null));
  if (status === 410) {
    const recorded = await attempt(status, 'HTTP 410 Gone: the subscription was deactivated');
    await deps.webhooks.deactivate(input.webhookId, deps.clock.now().toISOString());
    return result(input, 'gone', recorded);
  }
  const recorded = await attempt(status, `HTTP ${status}`);
  throw new DeliveryFailed(`attempt ${recorded?.attempts ?? '?'}: HTTP ${status}`);
};
