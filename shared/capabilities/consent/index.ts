/**
 * The consent capability: subscription types, a customer's subscriptions and their ledger, the
 * suppression list, and the public one-click unsubscribe (RFC 8058) and preference page.
 */
import { defineCapability } from '#shared/capabilities/capability';
import { consentData } from './data.ts';
import { consentRoutes } from './routes.ts';

export const consent = defineCapability({
  name: 'consent',
  description: 'subscription types, subscriptions and their consent ledger, suppressions, unsubscribe',
  routes: consentRoutes,
  data: consentData,
  tableAccess: 'readWrite',
  // cursorKeysSecretId: lists page with it, and the unsubscribe links are signed with its ring.
  config: ['stage', 'tableName', 'cursorKeysSecretId'],
  workflowStarters: [],
  rules: [],
});
