/**
 * Webhook use cases: subscriptions (create, read, list, delete), the delivery log, and the
 * dispatcher's fan-out of one domain event to the matching subscriptions. Persistence behind
 * `WebhookStore`; workflow starts behind `DeliveryStarter` (Step Functions in `shared/aws/sfn.ts`).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Page } from '#shared/db/pagination';
import type { Clock } from '#shared/domain/clock';
import { assertVersion } from '#shared/domain/common/records';
import type { SecretSealer } from '#shared/domain/common/secrets';
import type {
  Delivery,
  DeliveryStatus,
  Webhook,
  WebhookCreate,
  WebhookCreated,
} from '#shared/domain/webhooks/schemas';
import { secretContextOf } from '#shared/domain/webhooks/signing';
import type { StoredWebhook, WebhookStore } from '#shared/domain/webhooks/store';
import { checkWebhookUrl } from '#shared/domain/webhooks/url-guard';
import { NotFoundError, ValidationError } from '#shared/errors';

export interface WebhookDeps {
  webhooks: WebhookStore;
  clock: Clock;
  /** Deployment stage: decides http:// and private-address rules (see url-guard.ts). */
  stage: string;
}

/** A domain event as the dispatcher hands it on (from the EventBridge envelope and its detail). */
export interface WebhookEvent {
  eventId: string;
  detailType: string;
  source: string;
  occurredAt: string;
  detail: Record<string, unknown>;
}

/**
 * Input of one delivery workflow execution: references only. The event sits on the delivery
 * record, so Step Functions execution history holds ids, never an event body.
 */
export interface DeliveryRef {
  deliveryId: string;
  webhookId: string;
}

/** What the Deliver task parses: the references, plus an event only in pre-upgrade executions. */
export interface DeliveryInput extends DeliveryRef {
  /** @deprecated only in executions started before the upgrade; new inputs never carry it. */
  event?: WebhookEvent | undefined;
}

/** Starts a delivery workflow named `name`; `already-started` when that execution exists. */
export interface DeliveryStarter {
  start(name: string, input: DeliveryRef): Promise<'started' | 'already-started'>;
}

export interface DispatchDeps extends WebhookDeps {
  starter: DeliveryStarter;
}

const notFound = () => new NotFoundError('Webhook not found.');

/** Strips the (sealed) secret: the API never returns it after creation. */
export const publicWebhook = ({
  secret: _secret,
  sealedSecret: _sealed,
  ...webhook
}: StoredWebhook): Webhook => webhook;

/** A fresh signing secret: 32 random bytes, base64url, with a recognisable prefix. */
export const generateSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export const createWebhook = async (
  deps: WebhookDeps & { secrets: SecretSealer },
  input: WebhookCreate,
): Promise<WebhookCreated> => {
  const check = checkWebhookUrl(input.url, deps.stage);
  if (!check.ok) {
    throw new ValidationError(`The webhook URL is not allowed: it ${check.reason}.`, {
      errors: [{ path: 'body.url', message: check.reason, code: 'url_not_allowed' }],
    });
  }
  const now = deps.clock.now().toISOString();
  const id = deps.clock.newId();
  const secret = input.secret ?? generateSecret();
  const stored: StoredWebhook = {
    id,
    url: check.url.toString(),
    eventTypes: input.eventTypes,
    description: input.description,
    active: true,
    createdAt: now,
    updatedAt: now,
    version: 1,
    sealedSecret: await deps.secrets.seal(secret, secretContextOf(id)),
  };
  await deps.webhooks.create(stored);
  return { ...publicWebhook(stored), secret };
};

const getStored = async (deps: WebhookDeps, id: string): Promise<StoredWebhook> => {
  const webhook = await deps.webhooks.get(id);
  if (!webhook) throw notFound();
  return webhook;
};

export const getWebhook = async (deps: WebhookDeps, id: string): Promise<Webhook> =>
  publicWebhook(await getStored(deps, id));

export const listWebhooks = async (
  deps: WebhookDeps,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<Webhook>> => {
  const page = await deps.webhooks.list(query);
  return { items: page.items.map(publicWebhook), nextCursor: page.nextCursor };
};

export const deleteWebhook = async (
  deps: WebhookDeps,
  id: string,
  expectedVersion: number,
): Promise<void> => {
  const webhook = await getStored(deps, id);
  assertVersion('webhook', webhook, expectedVersion);
  await deps.webhooks.remove(webhook);
};

export const listDeliveries = async (
  deps: WebhookDeps,
  webhookId: string,
  query: { limit: number; cursor?: string | undefined; status?: DeliveryStatus | undefined },
): Promise<Page<Delivery>> => {
  await getStored(deps, webhookId);
  return deps.webhooks.deliveries(webhookId, query);
};

// ── dispatch ─────────────────────────────────────────────────────────────────────────────────

/** Does the subscription want this event? Active, and its types name the detail type or `*`. */
export const wants = (webhook: Pick<Webhook, 'active' | 'eventTypes'>, detailType: string): boolean =>
  webhook.active && (webhook.eventTypes.includes('*') || webhook.eventTypes.includes(detailType));

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The delivery id of (webhook, event): a ULID whose time part is the event's time and whose
 * random part is derived from both ids, so a redelivered event maps to the same delivery (and
 * the log still sorts newest first).
 */
export const deliveryIdFor = (webhookId: string, eventId: string, occurredAt: string): string => {
  let time = Math.max(0, Math.min(Date.parse(occurredAt) || 0, 2 ** 48 - 1));
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = (CROCKFORD[time % 32] as string) + timePart;
    time = Math.floor(time / 32);
  }
  const digest = createHash('sha256').update(`${webhookId}:${eventId}`).digest();
  let randomPart = '';
  // 80 bits = 16 characters of 5 bits each, read from the first 10 bytes.
  let bits = 0;
  let value = 0;
  for (let i = 0; i < 10; i++) {
    value = (value << 8) | (digest[i] as number);
    bits += 8;
    while (bits >= 5) {
      randomPart += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return timePart + randomPart;
};

/** Step Functions execution name of one delivery: `<webhookId>-<eventId>` (59 ≤ 80 characters). */
export const executionNameFor = (webhookId: string, eventId: string): string =>
  `${webhookId}-${eventId}`.slice(0, 80);

export interface DispatchResult {
  matched: number;
  started: number;
  alreadyStarted: number;
}

/**
 * Fans one domain event out to every subscription that wants it: a pending delivery record
 * (idempotent per event + webhook) and a delivery workflow execution (idempotent by name). A
 * redelivered event therefore neither duplicates records nor starts a second workflow.
 */
export const dispatchEvent = async (deps: DispatchDeps, event: WebhookEvent): Promise<DispatchResult> => {
  const targets = (await deps.webhooks.all()).filter((webhook) => wants(webhook, event.detailType));
  const now = deps.clock.now().toISOString();
  const results = await Promise.all(
    targets.map(async (webhook) => {
      const deliveryId = deliveryIdFor(webhook.id, event.eventId, event.occurredAt);
      await deps.webhooks.createDelivery(
        {
          id: deliveryId,
          webhookId: webhook.id,
          eventId: event.eventId,
          detailType: event.detailType,
          status: 'pending',
          attempts: 0,
          lastStatusCode: null,
          lastError: null,
          createdAt: now,
          updatedAt: now,
        },
        event,
      );
      return deps.starter.start(executionNameFor(webhook.id, event.eventId), {
        deliveryId,
        webhookId: webhook.id,
      });
    }),
  );
  return {
    matched: targets.length,
    started: results.filter((r) => r === 'started').length,
    alreadyStarted: results.filter((r) => r === 'already-started').length,
  };
};
