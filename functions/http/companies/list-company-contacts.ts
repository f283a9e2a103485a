import { companyRoute } from '#shared/capabilities/companies/routes';
import { companyDeps } from '#shared/deps';
import { listCompanyContacts } from '#shared/domain/companies/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(companyRoute('listCompanyContacts'), async ({ params, query }) => ({
  body: await listCompanyContacts(companyDeps(), params.id, query),
}));
