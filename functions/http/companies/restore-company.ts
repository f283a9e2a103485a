import { companyRoute } from '#shared/capabilities/companies/routes';
import { companyDeps } from '#shared/deps';
import { restoreCompany } from '#shared/domain/companies/service';
import { idempotentRoute } from '#shared/http/idempotent-route';

export const handler = idempotentRoute(companyRoute('restoreCompany'), async ({ params, caller }) => ({
  body: await restoreCompany(companyDeps(), caller, params.id),
}));
