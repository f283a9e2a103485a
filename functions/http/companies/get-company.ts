import { companyRoute } from '#shared/capabilities/companies/routes';
import { companyDeps } from '#shared/deps';
import { getCompany } from '#shared/domain/companies/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(companyRoute('getCompany'), async ({ params }) => ({
  body: await getCompany(companyDeps(), params.id),
}));
