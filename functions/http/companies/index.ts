/** The companies area function: companies and their contacts. */
import { companiesRoutes } from '#shared/capabilities/companies/routes';
import { router } from '#shared/http/handler';
import { handler as createCompany } from './create-company.ts';
import { handler as deleteCompany } from './delete-company.ts';
import { handler as getCompany } from './get-company.ts';
import { handler as listCompanies } from './list-companies.ts';
import { handler as listCompanyContacts } from './list-company-contacts.ts';
import { handler as restoreCompany } from './restore-company.ts';
import { handler as updateCompany } from './update-company.ts';

export const handler = router('companies', companiesRoutes, {
  createCompany,
  listCompanies,
  getCompany,
  updateCompany,
  deleteCompany,
  restoreCompany,
  listCompanyContacts,
});
