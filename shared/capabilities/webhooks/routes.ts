/**
 * Route manifest of the webhooks capability: webhook subscriptions (admin) and their delivery logs. The area function
 * (`functions/http/webhooks/index.ts`) imports this file and nothing of the other capabilities.
 * New webhooks routes are added here (one `route({…})` entry each, `area: 'webhooks'`).
 */
import {
  DeliveryListQuery,
  DeliveryPage,
  Webhook,
  WebhookCreate,
  WebhookCreated,
  WebhookIdPath,
  WebhookListQuery,
  WebhookPage,
} from '#shared/domain/webhooks/schemas';
import { route, routeLookup } from '#shared/http/route';

export const webhooksRoutes = [
  route({
    id: 'createWebhook',
    method: 'POST',
    path: '/webhooks',
    area: 'webhooks',
    scope: 'webhooks.manage',
    summary: 'Subscribe a URL to domain events (the signing secret is returned only here)',
    tag: 'Webhooks',
    request: { body: WebhookCreate },
    example: {
      url: 'https://hooks.example.com/relay',
      eventTypes: ['customer.created', 'timeline.entry_added'],
      description: 'CRM sync',
    },
    response: { status: 201, schema: WebhookCreated },
    idempotent: true,
    // The secret is never stored with the idempotency record (docs/webhooks.md).
    withheldOnReplay: ['secret'],
  }),
  route({
    id: 'listWebhooks',
    method: 'GET',
    path: '/webhooks',
    area: 'webhooks',
    scope: 'webhooks.manage',
    summary: 'List webhook subscriptions',
    tag: 'Webhooks',
    request: { query: WebhookListQuery },
    response: { status: 200, schema: WebhookPage },
  }),
  route({
    id: 'getWebhook',
    method: 'GET',
    path: '/webhooks/{id}',
    area: 'webhooks',
    scope: 'webhooks.manage',
    summary: 'Get a webhook subscription',
    tag: 'Webhooks',
    request: { params: WebhookIdPath },
    response: { status: 200, schema: Webhook },
  }),
  route({
    id: 'deleteWebhook',
    method: 'DELETE',
    path: '/webhooks/{id}',
    area: 'webhooks',
    scope: 'webhooks.manage',
    summary: 'Delete a webhook subscription and its delivery log',
    tag: 'Webhooks',
    request: { params: WebhookIdPath },
    response: { status: 204, schema: null },
    versioned: true,
  }),
  route({
    id: 'listWebhookDeliveries',
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    area: 'webhooks',
    scope: 'webhooks.manage',
    summary: 'Delivery log of a subscription, newest first (`?status=dead_lettered` for the dead letters)',
    tag: 'Webhooks',
    request: { params: WebhookIdPath, query: DeliveryListQuery },
    response: { status: 200, schema: DeliveryPage },
  }),
] as const;

/** Typed lookup of one webhooks route by id (for `httpRoute`). */
export const webhookRoute = routeLookup(webhooksRoutes);
