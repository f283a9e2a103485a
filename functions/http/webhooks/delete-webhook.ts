import { webhookRoute } from '#shared/capabilities/webhooks/routes';
import { webhookDeps } from '#shared/deps';
import { deleteWebhook } from '#shared/domain/webhooks/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(webhookRoute('deleteWebhook'), async ({ params, expectedVersion }) => {
  await deleteWebhook(webhookDeps(), params.id, expectedVersion);
  return { status: 204 };
});
