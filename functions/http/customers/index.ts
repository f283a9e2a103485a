/** The customers area function: customers, their timeline and 360 view, attribute settings. */
import { customersRoutes } from '#shared/capabilities/customers/routes';
import { router } from '#shared/http/handler';
import { handler as appendTimelineEntry } from './append-timeline-entry.ts';
import { handler as createCustomer } from './create-customer.ts';
import { handler as deleteCustomer } from './delete-customer.ts';
import { handler as getAttributeDefinitions } from './get-attribute-definitions.ts';
import { handler as getCustomer } from './get-customer.ts';
import { handler as getCustomerView } from './get-customer-view.ts';
import { handler as listCustomers } from './list-customers.ts';
import { handler as listTimeline } from './list-timeline.ts';
import { handler as putAttributeDefinitions } from './put-attribute-definitions.ts';
import { handler as updateCustomer } from './update-customer.ts';

export const handler = router('customers', customersRoutes, {
  createCustomer,
  listCustomers,
  getCustomer,
  updateCustomer,
  deleteCustomer,
  getCustomerView,
  listTimeline,
  appendTimelineEntry,
  getAttributeDefinitions,
  putAttributeDefinitions,
});
