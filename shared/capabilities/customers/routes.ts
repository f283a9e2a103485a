/**
 * Route manifest of the customers capability: customers, their timeline and 360 view, and the customer attribute settings. The area function
 * (`functions/http/customers/index.ts`) imports this file and nothing of the other capabilities.
 * New customers routes are added here (one `route({…})` entry each, `area: 'customers'`).
 */
import { z } from 'zod';
import {
  Customer,
  CustomerCreate,
  CustomerIdPath,
  CustomerListQuery,
  CustomerPage,
  CustomerPatch,
} from '#shared/domain/customers/schemas';
import { CustomerView } from '#shared/domain/customers/view';
import { AttributeDefinitions, AttributeDefinitionsView } from '#shared/domain/settings/schemas';
import {
  TimelineEntry,
  TimelineEntryInput,
  TimelinePage,
  TimelineQuery,
} from '#shared/domain/timeline/schemas';
import { route, routeLookup } from '#shared/http/route';

export const customersRoutes = [
  route({
    id: 'createCustomer',
    method: 'POST',
    path: '/customers',
    area: 'customers',
    scope: 'customers.write',
    summary: 'Create a customer',
    tag: 'Customers',
    request: { body: CustomerCreate },
    response: { status: 201, schema: Customer },
    idempotent: true,
  }),
  route({
    id: 'listCustomers',
    method: 'GET',
    path: '/customers',
    area: 'customers',
    scope: 'customers.read',
    summary: 'List customers (newest first) or look one up by email',
    tag: 'Customers',
    request: { query: CustomerListQuery },
    response: { status: 200, schema: CustomerPage },
  }),
  route({
    id: 'getCustomer',
    method: 'GET',
    path: '/customers/{id}',
    area: 'customers',
    scope: 'customers.read',
    summary: 'Get a customer',
    tag: 'Customers',
    request: { params: CustomerIdPath },
    response: { status: 200, schema: Customer },
  }),
  route({
    id: 'updateCustomer',
    method: 'PATCH',
    path: '/customers/{id}',
    area: 'customers',
    scope: 'customers.write',
    summary: 'Update a customer (optimistic locking with If-Match or version)',
    tag: 'Customers',
    request: { params: CustomerIdPath, body: CustomerPatch },
    response: { status: 200, schema: Customer },
    versioned: true,
  }),
  route({
    id: 'deleteCustomer',
    method: 'DELETE',
    path: '/customers/{id}',
    area: 'customers',
    scope: 'customers.delete',
    summary: 'Delete a customer and their timeline',
    tag: 'Customers',
    request: { params: CustomerIdPath },
    response: { status: 204, schema: null },
    versioned: true,
  }),
  route({
    id: 'getCustomerView',
    method: 'GET',
    path: '/customers/{id}/view',
    area: 'customers',
    scope: 'customers.read',
    summary: 'Customer 360: profile, aggregates and latest timeline entries in one read',
    tag: 'Customers',
    request: {
      params: CustomerIdPath,
      query: z.strictObject({ latest: z.coerce.number().int().min(1).max(50).default(10) }),
    },
    response: { status: 200, schema: CustomerView },
  }),
  route({
    id: 'listTimeline',
    method: 'GET',
    path: '/customers/{id}/timeline',
    area: 'customers',
    scope: 'timeline.read',
    summary: 'Timeline of a customer, newest first, filtered by type and time range',
    tag: 'Timeline',
    request: { params: CustomerIdPath, query: TimelineQuery },
    response: { status: 200, schema: TimelinePage },
  }),
  route({
    id: 'appendTimelineEntry',
    method: 'POST',
    path: '/customers/{id}/timeline',
    area: 'customers',
    scope: 'timeline.write',
    summary: 'Append an interaction to a customer’s timeline',
    tag: 'Timeline',
    request: { params: CustomerIdPath, body: TimelineEntryInput },
    response: { status: 201, schema: TimelineEntry },
    idempotent: true,
  }),
  route({
    id: 'getAttributeDefinitions',
    method: 'GET',
    path: '/settings/customer-attributes',
    area: 'customers',
    scope: 'settings.read',
    summary: 'Custom attribute definitions for customers',
    tag: 'Settings',
    response: { status: 200, schema: AttributeDefinitionsView },
  }),
  route({
    id: 'putAttributeDefinitions',
    method: 'PUT',
    path: '/settings/customer-attributes',
    area: 'customers',
    scope: 'settings.write',
    summary: 'Replace the custom attribute definitions (admin)',
    tag: 'Settings',
    request: { body: AttributeDefinitions },
    response: { status: 200, schema: AttributeDefinitionsView },
    versioned: 'optional',
  }),
] as const;

/** Typed lookup of one customers route by id (for `httpRoute`). */
export const customerRoute = routeLookup(customersRoutes);
