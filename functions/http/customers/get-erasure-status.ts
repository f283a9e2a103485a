import { customerRoute } from '#shared/capabilities/customers/routes';
import { privacyDeps } from '#shared/deps';
import { erasureStatus } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('getErasureStatus'), async ({ params }) => ({
  body: await erasureStatus(privacyDeps(), params.id),
}));
