/** The system capability: health, the OpenAPI document and the docs page — public, no data. */
import { defineCapability } from '#shared/capabilities/capability';
import { systemRoutes } from './routes.ts';

export const system = defineCapability({
  name: 'system',
  description: 'health, OpenAPI document and docs page (public, no data)',
  routes: systemRoutes,
  tableAccess: 'none',
  config: ['stage'],
  workflowStarters: [],
  rules: [],
});
