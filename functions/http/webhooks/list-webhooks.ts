import { webhookRoute } from '#shared/capabilities/webhooks/routes';
import { webhookDeps } from '#shared/deps';
import { listWebhooks } from '#shared/domain/webhooks/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(webhookRoute('listWebhooks'), async ({ query }) => ({
  body: await listWebhooks(webhookDeps(), query),
}));
