import { webhookRoute } from '#shared/capabilities/webhooks/routes';
import { webhookDeps } from '#shared/deps';
import { getWebhook } from '#shared/domain/webhooks/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(webhookRoute('getWebhook'), async ({ params }) => ({
  body: await getWebhook(webhookDeps(), params.id),
}));
