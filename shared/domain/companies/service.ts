/** Company use cases; persistence behind `CompanyStore`, contacts through `CustomerStore`. */
import type { Caller } from '#shared/auth/claims';
import type { Page } from '#shared/db/pagination';
import type { Clock } from '#shared/domain/clock';
import { assertVersion, patched } from '#shared/domain/common/records';
import type { Company, CompanyCreate, CompanyPatch } from '#shared/domain/companies/schemas';
import type { CompanyStore } from '#shared/domain/companies/store';
import type { Customer } from '#shared/domain/customers/schemas';
import type { CustomerStore } from '#shared/domain/customers/store';
import { assertCanDelete, assertCanModify, ownerOnCreate, ownerOnUpdate } from '#shared/domain/policy';
import { ConflictError, NotFoundError } from '#shared/errors';

export interface CompanyDeps {
  companies: CompanyStore;
  customers: CustomerStore;
  clock: Clock;
  /** Days a deleted company stays restorable (stage config `privacy.recycleBinDays`). */
  recycleBinDays: number;
}

const DAY_MS = 86_400_000;

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
    ownerId: ownerOnCreate(caller, input.ownerId),
    tags: input.tags ?? [],
    contactsCount: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.companies.create(company);
  return company;
};

/** A company in the recycle bin is not found (it is only restorable). */
export const getCompany = async (deps: Pick<CompanyDeps, 'companies'>, id: string): Promise<Company> => {
  const company = await deps.companies.get(id);
  if (!company || company.deletedAt !== undefined) throw notFound();
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
  // Authorization before the precondition: a refused change is 403 whatever its If-Match
  // (RFC 9110 §13.2.1).
  assertCanModify(caller, before, 'company');
  const ownerId = ownerOnUpdate(caller, patch.ownerId, before.ownerId);
  assertVersion('company', before, expectedVersion);
  const after: Company = {
    ...before,
    name: patch.name ?? before.name,
    domain: patched(patch.domain, before.domain),
    industry: patched(patch.industry, before.industry),
    size: patched(patch.size, before.size),
    ownerId,
    tags: patch.tags ?? before.tags,
    updatedAt: deps.clock.now().toISOString(),
    version: before.version + 1,
  };
  await deps.companies.replace(before, after);
  return after;
};

/**
 * `DELETE /companies/{id}`: moves the company to the recycle bin for `recycleBinDays` (then the
 * hourly sweeper purges it). Only a company without linked contacts can be deleted (409), and
 * only by its owner or an admin; its domain stays reserved while it is restorable.
 */
export const deleteCompany = async (
  deps: CompanyDeps,
  caller: Caller,
  id: string,
  expectedVersion: number,
): Promise<void> => {
  const company = await getCompany(deps, id);
  assertCanDelete(caller, company, 'company'); // before the precondition (RFC 9110 §13.2.1)
  assertVersion('company', company, expectedVersion);
  if ((company.contactsCount ?? 0) > 0) {
    throw new ConflictError(
      `The company still has ${company.contactsCount} linked contacts; unlink or move them first.`,
      {
        slug: 'company-has-contacts',
        title: 'Company has contacts',
      },
    );
  }
  const now = deps.clock.now();
  await deps.companies.bin(company, {
    ...company,
    deletedAt: now.toISOString(),
    purgeAt: new Date(now.getTime() + deps.recycleBinDays * DAY_MS).toISOString(),
    updatedAt: now.toISOString(),
    version: company.version + 1,
  });
};

/** `POST /companies/{id}/restore`: takes a binned company back (same rules as deleting). */
export const restoreCompany = async (deps: CompanyDeps, caller: Caller, id: string): Promise<Company> => {
  const binned = await deps.companies.get(id);
  if (!binned || binned.deletedAt === undefined) {
    throw new NotFoundError('No company with this id is in the recycle bin.');
  }
  assertCanDelete(caller, binned, 'company');
  const { deletedAt: _deletedAt, purgeAt: _purgeAt, ...rest } = binned;
  const restored: Company = {
    ...rest,
    contactsCount: binned.contactsCount ?? 0,
    updatedAt: deps.clock.now().toISOString(),
    version: binned.version + 1,
  };
  await deps.companies.restore(binned, restored);
  return restored;
};

/**
 * The hourly sweep (`functions/schedules/sweep-recycle-bin.ts`): purges every binned company whose
 * window has passed. A company holds no personal data and has no contacts while binned, so the
 * purge is one transaction (profile + domain guard), not an asynchronous job. Returns the ids purged.
 */
export const sweepCompanyBin = async (
  deps: Pick<CompanyDeps, 'companies' | 'clock'>,
  limit = 1000,
): Promise<string[]> => {
  const now = deps.clock.now().toISOString();
  const purged: string[] = [];
  for (const id of await deps.companies.dueForPurge(now, limit)) {
    if (await deps.companies.purge(id, now)) purged.push(id);
  }
  return purged;
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
