import { companyRoute } from '#shared/capabilities/companies/routes';
import { companyDeps } from '#shared/deps';
import { createCompany } from '#shared/domain/companies/service';
import { idempotentRoute } from '#shared/http/idempotent-route';

export const handler = idempotentRoute(companyRoute('createCompany'), async ({ body, caller }) => {
  const company = await createCompany(companyDeps(), caller, body);
  return { body: company, headers: { location: `/companies/${company.id}` } };
});
