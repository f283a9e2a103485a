import { companyRoute } from '#shared/capabilities/companies/routes';
import { companyDeps } from '#shared/deps';
import { updateCompany } from '#shared/domain/companies/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(
  companyRoute('updateCompany'),
  async ({ params, body, caller, expectedVersion }) => ({
    body: await updateCompany(companyDeps(), caller, params.id, body, expectedVersion),
  }),
);
