/** The audit capability: who changed what and when, written by the stream publisher (ADR 0009). */
import { defineCapability } from '#shared/capabilities/capability';
import { auditData } from './data.ts';
import { auditRoutes } from './routes.ts';

export const audit = defineCapability({
  name: 'audit',
  description: 'the audit log: who changed what and when (admin)',
  routes: auditRoutes,
  data: auditData,
  tableAccess: 'read',
  config: ['stage', 'tableName', 'cursorKeysSecretId'],
  workflowStarters: [],
  rules: [],
});
