import { companyRoute } from '#shared/capabilities/companies/routes';
import { appDeps } from '#shared/deps';
import { listCompanyContacts } from '#shared/domain/companies/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(companyRoute('listCompanyContacts'), async ({ params, query }) => ({
  body: await listCompanyContacts(appDeps(), params.id, query),
}));
