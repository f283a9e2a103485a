import { appDeps } from '#shared/deps';
import { listCompanies } from '#shared/domain/companies/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute('listCompanies', async ({ query }) => ({
  body: await listCompanies(appDeps(), query),
}));
