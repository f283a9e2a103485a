import { appDeps } from '#shared/deps';
import { erasureStatus } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute('getErasureStatus', async ({ params }) => ({
  body: await erasureStatus(appDeps(), params.id),
}));
