import { customerRoute } from '#shared/capabilities/customers/routes';
import { privacyDeps } from '#shared/deps';
import { exportCustomer } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(customerRoute('exportCustomer'), async ({ params, query }) => ({
  body: await exportCustomer(privacyDeps(), params.id, query.cursor),
}));
