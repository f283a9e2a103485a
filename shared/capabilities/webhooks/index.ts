/**
 * The webhooks capability: subscriptions (admin), their delivery logs, and the dispatcher that fans
 * every domain event out to the `webhook-delivery` workflow.
 */
import { catalog } from '#events/catalog';
import { defineCapability } from '#shared/capabilities/capability';
import { webhooksData } from './data.ts';
import { webhooksRoutes } from './routes.ts';

export const webhooks = defineCapability({
  name: 'webhooks',
  description: 'webhook subscriptions (admin) and their delivery logs',
  routes: webhooksRoutes,
  data: webhooksData,
  tableAccess: 'readWrite',
  // webhookSecretKeyId: set with the key grant by infra/constructs/capabilities/webhooks.ts.
  config: ['stage', 'tableName', 'cursorKeysSecretId', 'webhookSecretKeyId'],
  // Only the dispatcher (a consumer) starts deliveries; the HTTP area gets no SFN permission until
  // a route (e.g. redeliver) needs it (infra/config/workflows.ts).
  workflowStarters: [],
  rules: [
    {
      name: 'dispatch-webhooks',
      description: 'Every domain event → the webhook dispatcher, which fans out to matching subscriptions.',
      pattern: {
        source: [...new Set(catalog.map((event) => event.source))],
        'detail-type': catalog.map((event) => event.detailType),
      },
      target: { kind: 'lambda', handler: 'functions/events/dispatch-webhooks.ts' },
    },
  ],
});
