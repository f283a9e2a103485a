import { companyRoute } from '#shared/capabilities/companies/routes';
import { companyDeps } from '#shared/deps';
import { deleteCompany } from '#shared/domain/companies/service';
import { httpRoute } from '#shared/http/handler';

export const handler = httpRoute(
  companyRoute('deleteCompany'),
  async ({ params, caller, expectedVersion }) => {
    await deleteCompany(companyDeps(), caller, params.id, expectedVersion);
    return { status: 204 };
  },
);
