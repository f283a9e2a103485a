/**
 * Webhook subscription and delivery schemas: the single source of truth for types, validation and
 * OpenAPI. The signing secret is write-only: it appears in the 201 of POST /webhooks and never again.
 */
import * as z from 'zod/mini';
import { catalog } from '#events/catalog';
import { Id, PageQuery, pageOf } from '#shared/domain/common/schemas';

/** Every catalog detail type a subscription may name, plus `*` for all of them. */
export const subscribableTypes = ['*', ...catalog.map((event) => event.detailType)] as const;
export const EventTypeFilter = z.enum(subscribableTypes as unknown as [string, ...string[]]);

export const WebhookUrl = z
  .url({ protocol: /^https?$/ })
  .check(
    z.maxLength(2048),
    z.refine(
      (url) => !/^[a-z]+:\/\/[^/]*@/i.test(url),
      'URLs with credentials (user:password@) are not allowed',
    ),
  )
  .register(z.globalRegistry, { example: 'https://hooks.example.com/relay' });

export const WebhookSecret = z
  .string()
  .check(
    z.minLength(32, 'a secret has at least 32 characters'),
    z.maxLength(256),
    z.regex(/^[\x21-\x7e]+$/, 'a secret is printable ASCII without spaces'),
  );

export const WebhookCreate = z
  .strictObject({
    url: WebhookUrl,
    eventTypes: z
      .array(EventTypeFilter)
      .check(
        z.minLength(1),
        z.maxLength(50),
        z.refine((types) => new Set(types).size === types.length, 'event types must be unique'),
      )
      .register(z.globalRegistry, {
        description: 'Detail types from the event catalog, or `*` for every event',
      }),
    description: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
    secret: z.optional(WebhookSecret).register(z.globalRegistry, {
      description: 'HMAC key (≥ 32 characters); generated when absent. Returned only in this response.',
    }),
  })
  .register(z.globalRegistry, { id: 'WebhookCreate' });
export type WebhookCreate = z.infer<typeof WebhookCreate>;

export const Webhook = z
  .object({
    id: Id,
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.optional(z.string()),
    active: z
      .boolean()
      .register(z.globalRegistry, { description: 'false after the receiver answered 410 Gone' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.int(),
  })
  .register(z.globalRegistry, { id: 'Webhook' });
export type Webhook = z.infer<typeof Webhook>;

/** The 201 of POST /webhooks: the subscription plus its secret, shown this once. */
export const WebhookCreated = z
  .extend(Webhook, {
    secret: z.optional(z.string()).register(z.globalRegistry, {
      description:
        'Store it now: it is never returned again. Absent when the response is a replay of an earlier request with the same Idempotency-Key (header `Idempotent-Replayed: true`): the secret is not kept with the idempotency record; delete and re-create the subscription if it was lost.',
    }),
  })
  .register(z.globalRegistry, { id: 'WebhookCreated' });
export type WebhookCreated = z.infer<typeof WebhookCreated>;

export const WebhookPage = pageOf(Webhook, 'WebhookPage');

export const deliveryStatuses = ['pending', 'succeeded', 'failed', 'dead_lettered'] as const;
export const DeliveryStatus = z.enum(deliveryStatuses);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const Delivery = z
  .object({
    id: Id,
    webhookId: Id,
    eventId: z.string(),
    detailType: z.string(),
    status: DeliveryStatus,
    attempts: z.int().check(z.gte(0)),
    lastStatusCode: z.nullable(z.int()),
    lastError: z.nullable(z.string()).register(z.globalRegistry, {
      description: 'What went wrong on the last attempt (never the receiver’s body)',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .register(z.globalRegistry, { id: 'Delivery' });
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryPage = pageOf(Delivery, 'DeliveryPage');

export const WebhookIdPath = z.strictObject({ id: Id });
export const WebhookListQuery = PageQuery;
export const DeliveryListQuery = z.extend(PageQuery, {
  status: z.optional(DeliveryStatus).register(z.globalRegistry, {
    description: 'Only deliveries in this status, e.g. dead_lettered',
  }),
});
