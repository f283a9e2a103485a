/** The company repository port; `shared/db/company-store.ts` implements it on DynamoDB. */
import type { Page } from '#shared/db/pagination';
import type { Company } from '#shared/domain/companies/schemas';

export interface CompanyStore {
  /** Creates the company and its domain guard atomically (409 on a taken domain). */
  create(company: Company): Promise<void>;
  get(id: string): Promise<Company | undefined>;
  /** Replaces `before` with `after` if still at `before.version` (412), swapping the domain guard. */
  replace(before: Company, after: Company): Promise<void>;
  /** Deletes the company if still at its version (412) and it has no linked contacts (409). */
  remove(company: Company): Promise<void>;
  list(page: { limit: number; cursor?: string | undefined }): Promise<Page<Company>>;
}
