/**
 * Route manifest of the companies capability: companies and their linked contacts. The area function
 * (`functions/http/companies/index.ts`) imports this file and nothing of the other capabilities.
 * New companies routes are added here (one `route({…})` entry each, `area: 'companies'`).
 */
import {
  Company,
  CompanyCreate,
  CompanyIdPath,
  CompanyListQuery,
  CompanyPage,
  CompanyPatch,
} from '#shared/domain/companies/schemas';
import { CustomerPage } from '#shared/domain/customers/schemas';
import { route, routeLookup } from '#shared/http/route';

export const companiesRoutes = [
  route({
    id: 'createCompany',
    method: 'POST',
    path: '/companies',
    area: 'companies',
    scope: 'companies.write',
    summary: 'Create a company',
    tag: 'Companies',
    request: { body: CompanyCreate },
    example: { name: 'Analytical Engines Ltd', domain: 'example.com', industry: 'Software', size: '11-50' },
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
    example: { size: '51-200', tags: ['partner'] },
    response: { status: 200, schema: Company },
    versioned: true,
  }),
  route({
    id: 'deleteCompany',
    method: 'DELETE',
    path: '/companies/{id}',
    area: 'companies',
    scope: 'companies.delete',
    summary: 'Delete a company that has no linked contacts (to the recycle bin, restorable)',
    tag: 'Companies',
    request: { params: CompanyIdPath },
    response: { status: 204, schema: null },
    versioned: true,
  }),
  route({
    id: 'restoreCompany',
    method: 'POST',
    path: '/companies/{id}/restore',
    area: 'companies',
    scope: 'companies.delete',
    summary: 'Restore a company from the recycle bin',
    tag: 'Companies',
    request: { params: CompanyIdPath },
    response: { status: 200, schema: Company },
    idempotent: true,
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
] as const;

/** Typed lookup of one companies route by id (for `httpRoute`). */
export const companyRoute = routeLookup(companiesRoutes);
