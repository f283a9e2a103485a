/** The customers area function: customers, their timeline and 360 view, attribute settings. */
import { customersRoutes } from '#shared/capabilities/customers/routes';
import { router } from '#shared/http/handler';
import { handler as appendTimelineEntry } from './append-timeline-entry.ts';
import { handler as createCustomer } from './create-customer.ts';
import { handler as deleteCustomer } from './delete-customer.ts';
import { handler as eraseCustomer } from './erase-customer.ts';
import { handler as exportCustomer } from './export-customer.ts';
import { handler as getAttributeDefinitions } from './get-attribute-definitions.ts';
import { handler as getCustomer } from './get-customer.ts';
import { handler as getCustomerView } from './get-customer-view.ts';
import { handler as getErasureStatus } from './get-erasure-status.ts';
import { handler as getTimelineEntry } from './get-timeline-entry.ts';
import { handler as listCustomers } from './list-customers.ts';
import { handler as listTimeline } from './list-timeline.ts';
import { handler as putAttributeDefinitions } from './put-attribute-definitions.ts';
import { handler as restoreCustomer } from './restore-customer.ts';
import { handler as updateCustomer } from './update-customer.ts';
import { handler as updateTimelineEntry } from './update-timeline-entry.ts';

export const handler = router('customers', customersRoutes, {
  createCustomer,
  listCustomers,
  getCustomer,
  updateCustomer,
  deleteCustomer,
  restoreCustomer,
  eraseCustomer,
  getErasureStatus,
  exportCustomer,
  getCustomerView,
  listTimeline,
  appendTimelineEntry,
  getTimelineEntry,
  updateTimelineEntry,
  getAttributeDefinitions,
  putAttributeDefinitions,
});
