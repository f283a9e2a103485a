/** The webhooks area function: subscriptions (admin only) and their delivery logs. */
import { webhooksRoutes } from '#shared/capabilities/webhooks/routes';
import { router } from '#shared/http/handler';
import { handler as createWebhook } from './create-webhook.ts';
import { handler as deleteWebhook } from './delete-webhook.ts';
import { handler as getWebhook } from './get-webhook.ts';
import { handler as listWebhookDeliveries } from './list-webhook-deliveries.ts';
import { handler as listWebhooks } from './list-webhooks.ts';

export const handler = router('webhooks', webhooksRoutes, {
  createWebhook,
  listWebhooks,
  getWebhook,
  deleteWebhook,
  listWebhookDeliveries,
});
