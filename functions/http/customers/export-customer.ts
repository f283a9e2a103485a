import { appDeps } from '#shared/deps';
import { exportCustomer } from '#shared/domain/customers/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute('exportCustomer', async ({ params, query }) => ({
  body: await exportCustomer(appDeps(), params.id, query.cursor),
}));
