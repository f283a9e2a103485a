import { webhookRoute } from '#shared/capabilities/webhooks/routes';
import { webhookDeps } from '#shared/deps';
import { listDeliveries } from '#shared/domain/webhooks/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(webhookRoute('listWebhookDeliveries'), async ({ params, query }) => ({
  body: await listDeliveries(webhookDeps(), params.id, query),
}));
