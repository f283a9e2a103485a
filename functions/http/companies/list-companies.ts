import { companyRoute } from '#shared/capabilities/companies/routes';
import { companyDeps } from '#shared/deps';
import { listCompanies } from '#shared/domain/companies/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(companyRoute('listCompanies'), async ({ query }) => ({
  body: await listCompanies(companyDeps(), query),
}));
