import { appDeps } from '#shared/deps';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute('listAudit', async ({ query }) => ({
  body: await appDeps().audit.list(query),
}));
