import { companyRoute } from '#shared/capabilities/companies/routes';
import { companyDeps } from '#shared/deps';
import { restoreCompany } from '#shared/domain/companies/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(companyRoute('restoreCompany'), async ({ params, caller }) => ({
  body: await restoreCompany(companyDeps(), caller, params.id),
}));
