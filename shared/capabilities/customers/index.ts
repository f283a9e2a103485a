/** The customers capability: customers, their timeline and 360 view, custom attribute settings. */

import { customerPurgeRequested } from '#events/customers/customer-purge-requested';
import { timelineEntryAdded } from '#events/timeline/timeline-entry-added';
import { defineCapability } from '#shared/capabilities/capability';
import { customersData } from './data.ts';
import { customersRoutes } from './routes.ts';

export const customers = defineCapability({
  name: 'customers',
  description: 'customers, their timeline and 360 view, custom attribute settings',
  routes: customersRoutes,
  data: customersData,
  tableAccess: 'readWrite',
  config: ['stage', 'tableName', 'cursorKeysSecretId'],
  workflowStarters: [],
  rules: [
    {
      name: 'flag-serious-complaints',
      description:
        'A high or critical complaint → flag the customer as needing attention (shown in the 360 view).',
      pattern: {
        source: [timelineEntryAdded.source],
        'detail-type': [timelineEntryAdded.detailType],
        detail: { type: ['complaint'], severity: ['high', 'critical'] },
      },
      target: { kind: 'lambda', handler: 'functions/events/flag-serious-complaint.ts' },
    },
    {
      name: 'purge-customers',
      description:
        'A customer tombstone (recycle bin expired, or erased by an admin) → remove every item holding their data.',
      pattern: {
        source: [customerPurgeRequested.source],
        'detail-type': [customerPurgeRequested.detailType],
      },
      // Resumable: a purge that outlives one invocation is retried and finishes what is left.
      target: { kind: 'lambda', handler: 'functions/events/purge-customer.ts', timeoutSeconds: 900 },
    },
  ],
});
