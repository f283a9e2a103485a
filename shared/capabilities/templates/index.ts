/**
 * The templates capability: email templates with immutable versions, each created as an SES v2
 * template (`relay-<stage>-<id>-v<n>`) by the route that stores it, and previews.
 */
import { defineCapability } from '#shared/capabilities/capability';
import { templatesData } from './data.ts';
import { templatesRoutes } from './routes.ts';

export const templates = defineCapability({
  name: 'templates',
  description: 'email templates (SES v2): versions, placeholders, previews',
  routes: templatesRoutes,
  data: templatesData,
  tableAccess: 'readWrite',
  config: ['stage', 'tableName', 'cursorKeysSecretId'],
  workflowStarters: [],
  rules: [],
});
