import { appDeps } from '#shared/deps';
import { listDeliveries } from '#shared/domain/webhooks/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute('listWebhookDeliveries', async ({ params, query }) => ({
  body: await listDeliveries(appDeps(), params.id, query),
}));
