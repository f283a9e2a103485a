/** Company use cases; persistence behind `CompanyStore`, contacts through `CustomerStore`. */
import type { Caller } from '#shared/auth/claims';
import type { Page } from '#shared/db/pagination';
import type { Clock } from '#shared/domain/clock';
import { assertVersion, patched } from '#shared/domain/common/records';
import type { Company, CompanyCreate, CompanyPatch } from '#shared/domain/companies/schemas';
import type { CompanyStore } from '#shared/domain/companies/store';
import type { Customer } from '#shared/domain/customers/schemas';
import type { CustomerStore } from '#shared/domain/customers/store';
import { assertCanModify, resolveOwner } from '#shared/domain/policy';
import { ConflictError, NotFoundError } from '#shared/errors';

export interface CompanyDeps {
  companies: CompanyStore;
  customers: CustomerStore;
  clock: Clock;
}

const notFound = () => new NotFoundError('Company not found.');

export const createCompany = async (
  deps: CompanyDeps,
  caller: Caller,
  input: CompanyCreate,
): Promise<Company> => {
  const now = deps.clock.now().toISOString();
  const company: Company = {
    id: deps.clock.newId(),
    name: input.name,
    domain: input.domain,
    industry: input.industry,
    size: input.size,
    ownerId: resolveOwner(caller, input.ownerId),
    tags: input.tags ?? [],
    contactsCount: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.companies.create(company);
  return company;
};

export const getCompany = async (deps: CompanyDeps, id: string): Promise<Company> => {
  const company = await deps.companies.get(id);
  if (!company) throw notFound();
  return { ...company, contactsCount: company.contactsCount ?? 0 };
};

export const updateCompany = async (
  deps: CompanyDeps,
  caller: Caller,
  id: string,
  patch: CompanyPatch,
  expectedVersion: number,
): Promise<Company> => {
  const before = await getCompany(deps, id);
  assertVersion('company', before, expectedVersion);
  assertCanModify(caller, before, 'company');
  const after: Company = {
    ...before,
    name: patch.name ?? before.name,
    domain: patched(patch.domain, before.domain),
    industry: patched(patch.industry, before.industry),
    size: patched(patch.size, before.size),
    ownerId: resolveOwner(caller, patch.ownerId, before.ownerId),
    tags: patch.tags ?? before.tags,
    updatedAt: deps.clock.now().toISOString(),
    version: before.version + 1,
  };
  await deps.companies.replace(before, after);
  return after;
};

export const deleteCompany = async (
  deps: CompanyDeps,
  caller: Caller,
  id: string,
  expectedVersion: number,
): Promise<void> => {
  const company = await getCompany(deps, id);
  assertVersion('company', company, expectedVersion);
  assertCanModify(caller, company, 'company');
  if ((company.contactsCount ?? 0) > 0) {
    throw new ConflictError(
      `The company still has ${company.contactsCount} linked contacts; unlink or move them first.`,
      {
        slug: 'company-has-contacts',
        title: 'Company has contacts',
      },
    );
  }
  await deps.companies.remove(company);
};

export const listCompanies = (
  deps: CompanyDeps,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<Company>> =>
  deps.companies.list(query).then((page) => ({
    ...page,
    items: page.items.map((company) => ({ ...company, contactsCount: company.contactsCount ?? 0 })),
  }));

export const listCompanyContacts = async (
  deps: CompanyDeps,
  companyId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<Customer>> => {
  await getCompany(deps, companyId);
  return deps.customers.contactsOf(companyId, query);
};
