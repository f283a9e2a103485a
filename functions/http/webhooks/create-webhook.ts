import { webhookRoute } from '#shared/capabilities/webhooks/routes';
import { webhookDeps, webhookSecretSealer } from '#shared/deps';
import { createWebhook } from '#shared/domain/webhooks/service';
import { idempotentRoute } from '#shared/http/idempotent-route';

export const handler = idempotentRoute(webhookRoute('createWebhook'), async ({ body }) => {
  const webhook = await createWebhook({ ...webhookDeps(), secrets: webhookSecretSealer() }, body);
  return { body: webhook, headers: { location: `/webhooks/${webhook.id}`, 'cache-control': 'no-store' } };
});
