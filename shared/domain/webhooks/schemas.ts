/**
 * Webhook subscription and delivery schemas: the single source of truth for types, validation and
 * OpenAPI. The signing secret is write-only: it appears in the 201 of POST /webhooks and never again.
 */
import * as z from 'zod';
import { catalog } from '#events/catalog';
import { Id, PageQuery, pageOf } from '#shared/domain/common/schemas';

/** Every catalog detail type a subscription may name, plus `*` for all of them. */
export const subscribableTypes = ['*', ...catalog.map((event) => event.detailType)] as const;
export const EventTypeFilter = z.enum(subscribableTypes as unknown as [string, ...string[]]);

export const WebhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), 'URLs with credentials (user:password@) are not allowed')
  .meta({ example: 'https://hooks.example.com/relay' });

export const WebhookSecret = z
  .string()
  .min(32, 'a secret has at least 32 characters')
  .max(256)
  .regex(/^[\x21-\x7e]+$/, 'a secret is printable ASCII without spaces');

export const WebhookCreate = z
  .strictObject({
    url: WebhookUrl,
    eventTypes: z
      .array(EventTypeFilter)
      .min(1)
      .max(50)
      .refine((types) => new Set(types).size === types.length, 'event types must be unique')
      .meta({ description: 'Detail types from the event catalog, or `*` for every event' }),
    description: z.string().trim().min(1).max(500).optional(),
    secret: WebhookSecret.optional().meta({
      description: 'HMAC key (≥ 32 characters); generated when absent. Returned only in this response.',
    }),
  })
  .meta({ id: 'WebhookCreate' });
export type WebhookCreate = z.infer<typeof WebhookCreate>;

export const Webhook = z
  .object({
    id: Id,
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.string().optional(),
    active: z.boolean().meta({ description: 'false after the receiver answered 410 Gone' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof Webhook>;

/** The 201 of POST /webhooks: the subscription plus its secret, shown this once. */
export const WebhookCreated = Webhook.extend({
  secret: z.string().optional().meta({
    description:
      'Store it now: it is never returned again. Absent when the response is a replay of an earlier request with the same Idempotency-Key (header `Idempotent-Replayed: true`): the secret is not kept with the idempotency record; delete and re-create the subscription if it was lost.',
  }),
}).meta({ id: 'WebhookCreated' });
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
    attempts: z.number().int().min(0),
    lastStatusCode: z.number().int().nullable(),
    lastError: z
      .string()
      .nullable()
      .meta({ description: 'What went wrong on the last attempt (never the receiver’s body)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Delivery' });
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryPage = pageOf(Delivery, 'DeliveryPage');

export const WebhookIdPath = z.strictObject({ id: Id });
export const WebhookListQuery = PageQuery;
export const DeliveryListQuery = PageQuery.extend({
  status: DeliveryStatus.optional().meta({
    description: 'Only deliveries in this status, e.g. dead_lettered',
  }),
});
