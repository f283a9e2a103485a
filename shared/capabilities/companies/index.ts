/** The companies capability: companies and the contacts linked to them. */
import { companyCreated } from '#events/companies/company-created';
import { companyDeleted } from '#events/companies/company-deleted';
import { companyUpdated } from '#events/companies/company-updated';
import { defineCapability } from '#shared/capabilities/capability';
import { companiesRoutes } from './routes.ts';

export const companies = defineCapability({
  name: 'companies',
  description: 'companies and the contacts linked to them',
  routes: companiesRoutes,
  events: [companyCreated, companyUpdated, companyDeleted],
  tableAccess: 'readWrite',
  config: ['stage', 'tableName', 'cursorSecret'],
  workflowStarters: [],
  rules: [],
});
