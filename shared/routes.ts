/**
 * The ONE route manifest. CDK (HTTP API routes, authorizer scopes, function per area), the local
 * HTTP server, the area routers and the OpenAPI document all read this list.
 */
import { z } from 'zod';
import type { Scope } from '#shared/auth/roles';
// ── audit log (part C) ──
import { AuditPage, AuditQuery } from '#shared/domain/audit/schemas';
// ── end audit log ──
import {
  Company,
  CompanyCreate,
  CompanyIdPath,
  CompanyListQuery,
  CompanyPage,
  CompanyPatch,
} from '#shared/domain/companies/schemas';
import {
  Customer,
  CustomerCreate,
  CustomerExport,
  CustomerIdPath,
  CustomerListQuery,
  CustomerPage,
  CustomerPatch,
  ErasureRequest,
  ErasureStatus,
  ExportQuery,
} from '#shared/domain/customers/schemas';
import { CustomerView } from '#shared/domain/customers/view';
import { AttributeDefinitions, AttributeDefinitionsView } from '#shared/domain/settings/schemas';
import {
  TimelineEntry,
  TimelineEntryInput,
  TimelineEntryPatch,
  TimelineEntryPath,
  TimelinePage,
  TimelineQuery,
} from '#shared/domain/timeline/schemas';
import {
  DeliveryListQuery,
  DeliveryPage,
  Webhook,
  WebhookCreate,
  WebhookCreated,
  WebhookIdPath,
  WebhookListQuery,
  WebhookPage,
} from '#shared/domain/webhooks/schemas';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A deployable group of routes: one Lambda function with a router (see docs/adr/0002). */
export const areas = ['customers', 'companies', 'webhooks', 'audit', 'system'] as const;
export type Area = (typeof areas)[number];

export interface RouteDef {
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: `/customers/{id}`. */
  path: string;
  area: Area;
  /** Scope the caller needs; `null` marks a public route. */
  scope: Scope | null;
  summary: string;
  tag: string;
  request?: {
    params?: z.ZodType;
    query?: z.ZodType;
    body?: z.ZodType;
  };
  /** Success status and schema; `null` schema means no body. */
  response: { status: number; schema: z.ZodType | null; contentType?: string };
  /** POST routes honour `Idempotency-Key`. */
  idempotent?: boolean;
  /**
   * Optimistic locking: `true` — PATCH/DELETE need `If-Match` or a body `version` (else 428);
   * `'optional'` — a body `version` is checked when sent (412 on mismatch) but not required.
   */
  versioned?: boolean | 'optional';
}

const route = <const T extends RouteDef>(def: T): T => def;

export const routes = [
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
    summary: 'Move a customer to the recycle bin (restorable until purgeAt; sales: own records only)',
    tag: 'Customers',
    request: { params: CustomerIdPath },
    response: { status: 204, schema: null },
    versioned: true,
  }),
  route({
    id: 'restoreCustomer',
    method: 'POST',
    path: '/customers/{id}/restore',
    area: 'customers',
    scope: 'customers.delete',
    summary: 'Restore a customer from the recycle bin, with its whole timeline',
    tag: 'Customers',
    request: { params: CustomerIdPath },
    response: { status: 200, schema: Customer },
    idempotent: true,
  }),
  route({
    id: 'eraseCustomer',
    method: 'POST',
    path: '/customers/{id}/erase',
    area: 'customers',
    scope: 'privacy.manage',
    summary: 'Erase a customer now (right to erasure): every item with their data is purged asynchronously',
    tag: 'Privacy',
    request: { params: CustomerIdPath, body: ErasureRequest },
    response: { status: 202, schema: ErasureStatus },
    idempotent: true,
  }),
  route({
    id: 'getErasureStatus',
    method: 'GET',
    path: '/customers/{id}/erasure',
    area: 'customers',
    scope: 'privacy.manage',
    summary: 'State of a purge or erasure request (pending or done)',
    tag: 'Privacy',
    request: { params: CustomerIdPath },
    response: { status: 200, schema: ErasureStatus },
  }),
  route({
    id: 'exportCustomer',
    method: 'GET',
    path: '/customers/{id}/export',
    area: 'customers',
    scope: 'privacy.manage',
    summary: 'Everything Relay holds about a customer (right to portability), in pages',
    tag: 'Privacy',
    request: { params: CustomerIdPath, query: ExportQuery },
    response: { status: 200, schema: CustomerExport },
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
    id: 'getTimelineEntry',
    method: 'GET',
    path: '/customers/{id}/timeline/{entryId}',
    area: 'customers',
    scope: 'timeline.read',
    summary: 'One timeline entry',
    tag: 'Timeline',
    request: { params: TimelineEntryPath },
    response: { status: 200, schema: TimelineEntry },
  }),
  route({
    id: 'updateTimelineEntry',
    method: 'PATCH',
    path: '/customers/{id}/timeline/{entryId}',
    area: 'customers',
    scope: 'timeline.write',
    summary: 'Resolve, reopen or re-grade a complaint or support request (If-Match or version)',
    tag: 'Timeline',
    request: { params: TimelineEntryPath, body: TimelineEntryPatch },
    response: { status: 200, schema: TimelineEntry },
    versioned: true,
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
  route({
    id: 'createCompany',
    method: 'POST',
    path: '/companies',
    area: 'companies',
    scope: 'companies.write',
    summary: 'Create a company',
    tag: 'Companies',
    request: { body: CompanyCreate },
    response: { status: 201, schema: Company },
    idempotent: true,
  }),
  route({
    id: 'listCompanies',
    method: 'GET',
    path: '/companies',
    area: 'companies',
    scope: 'companies.read',
    summary: 'List companies (newest first)',
    tag: 'Companies',
    request: { query: CompanyListQuery },
    response: { status: 200, schema: CompanyPage },
  }),
  route({
    id: 'getCompany',
    method: 'GET',
    path: '/companies/{id}',
    area: 'companies',
    scope: 'companies.read',
    summary: 'Get a company',
    tag: 'Companies',
    request: { params: CompanyIdPath },
    response: { status: 200, schema: Company },
  }),
  route({
    id: 'updateCompany',
    method: 'PATCH',
    path: '/companies/{id}',
    area: 'companies',
    scope: 'companies.write',
    summary: 'Update a company (optimistic locking with If-Match or version)',
    tag: 'Companies',
    request: { params: CompanyIdPath, body: CompanyPatch },
    response: { status: 200, schema: Company },
    versioned: true,
  }),
  route({
    id: 'deleteCompany',
    method: 'DELETE',
    path: '/companies/{id}',
    area: 'companies',
    scope: 'companies.delete',
    summary: 'Delete a company that has no linked contacts',
    tag: 'Companies',
    request: { params: CompanyIdPath },
    response: { status: 204, schema: null },
    versioned: true,
  }),
  route({
    id: 'listCompanyContacts',
    method: 'GET',
    path: '/companies/{id}/contacts',
    area: 'companies',
    scope: 'customers.read',
    summary: 'Contacts (customers) linked to a company',
    tag: 'Companies',
    request: { params: CompanyIdPath, query: CompanyListQuery },
    response: { status: 200, schema: CustomerPage },
  }),
  route({
    id: 'createWebhook',
    method: 'POST',
    path: '/webhooks',
    area: 'webhooks',
    scope: 'webhooks.manage',
    summary: 'Subscribe a URL to domain events (the signing secret is returned only here)',
    tag: 'Webhooks',
    request: { body: WebhookCreate },
    response: { status: 201, schema: WebhookCreated },
    idempotent: true,
  }),
  route({
    id: 'listWebhooks',
    method: 'GET',
    path: '/webhooks',
    area: 'webhooks',
    scope: 'webhooks.manage',
    summary: 'List webhook subscriptions',
    tag: 'Webhooks',
    request: { query: WebhookListQuery },
    response: { status: 200, schema: WebhookPage },
  }),
  route({
    id: 'getWebhook',
    method: 'GET',
    path: '/webhooks/{id}',
    area: 'webhooks',
    scope: 'webhooks.manage',
    summary: 'Get a webhook subscription',
    tag: 'Webhooks',
    request: { params: WebhookIdPath },
    response: { status: 200, schema: Webhook },
  }),
  route({
    id: 'deleteWebhook',
    method: 'DELETE',
    path: '/webhooks/{id}',
    area: 'webhooks',
    scope: 'webhooks.manage',
    summary: 'Delete a webhook subscription and its delivery log',
    tag: 'Webhooks',
    request: { params: WebhookIdPath },
    response: { status: 204, schema: null },
    versioned: true,
  }),
  route({
    id: 'listWebhookDeliveries',
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    area: 'webhooks',
    scope: 'webhooks.manage',
    summary: 'Delivery log of a subscription, newest first (`?status=dead_lettered` for the dead letters)',
    tag: 'Webhooks',
    request: { params: WebhookIdPath, query: DeliveryListQuery },
    response: { status: 200, schema: DeliveryPage },
  }),
  // ── audit log (part C: docs/adr/0009-audit-log.md) ──
  route({
    id: 'listAudit',
    method: 'GET',
    path: '/audit',
    area: 'audit',
    scope: 'audit.read',
    summary:
      'Audit log, newest first: one entity’s trail (`?entityType=&entityId=`) or one actor’s writes (`?actor=`)',
    tag: 'Audit',
    request: { query: AuditQuery },
    response: { status: 200, schema: AuditPage },
  }),
  // ── end audit log ──
  route({
    id: 'health',
    method: 'GET',
    path: '/health',
    area: 'system',
    scope: null,
    summary: 'Liveness check',
    tag: 'System',
    response: { status: 200, schema: z.object({ status: z.literal('ok'), stage: z.string() }) },
  }),
  route({
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    area: 'system',
    scope: null,
    summary: 'This API’s OpenAPI 3.1 document',
    tag: 'System',
    response: { status: 200, schema: z.record(z.string(), z.unknown()) },
  }),
  route({
    id: 'docs',
    method: 'GET',
    path: '/docs',
    area: 'system',
    scope: null,
    summary: 'Human-readable API reference',
    tag: 'System',
    response: { status: 200, schema: null, contentType: 'text/html' },
  }),
] as const;

export type Route = (typeof routes)[number];
export type RouteId = Route['id'];
export type RouteOf<I extends RouteId> = Extract<Route, { id: I }>;

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>): string => `${r.method} ${r.path}`;

export const routeById = <I extends RouteId>(id: I): RouteOf<I> => {
  const found = routes.find((r) => r.id === id);
  if (!found) throw new Error(`unknown route ${id}`);
  return found as RouteOf<I>;
};

export const routesOfArea = (area: Area): Route[] => routes.filter((r) => r.area === area);

/** Entry file of an area's function (bundled by CDK, imported by the local server). */
export const areaEntry = (area: Area): string => `functions/http/${area}/index.ts`;
