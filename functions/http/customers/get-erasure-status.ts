import { customerRoute } from '#shared/capabilities/customers/routes';
import { appDeps } from '#shared/deps';
import { erasureStatus } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('getErasureStatus'), async ({ params }) => ({
  body: await erasureStatus(appDeps(), params.id),
}));
