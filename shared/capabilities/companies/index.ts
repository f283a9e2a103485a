/** The companies capability: companies and the contacts linked to them. */
import { defineCapability } from '#shared/capabilities/capability';
import { companiesData } from './data.ts';
import { companiesRoutes } from './routes.ts';

export const companies = defineCapability({
  name: 'companies',
  description: 'companies and the contacts linked to them',
  routes: companiesRoutes,
  data: companiesData,
  tableAccess: 'readWrite',
  config: ['stage', 'tableName', 'cursorKeysSecretId'],
  workflowStarters: [],
  rules: [],
});
