/** The company repository port; `shared/db/company-store.ts` implements it on DynamoDB. */
import type { Page } from '#shared/db/pagination';
import type { Company } from '#shared/domain/companies/schemas';

export interface CompanyStore {
  /** Creates the company and its domain guard atomically (409 on a taken domain). */
  create(company: Company): Promise<void>;
  get(id: string): Promise<Company | undefined>;
  /** Replaces `before` with `after` if still at `before.version` (412), swapping the domain guard. */
  replace(before: Company, after: Company): Promise<void>;
  /**
   * Moves the company to the recycle bin (`binned` carries `deletedAt`/`purgeAt`) if still at its
   * version (412) and it has no linked contacts (409). Its domain stays reserved while binned.
   */
  bin(company: Company, binned: Company): Promise<void>;
  /** Takes `binned` back out of the recycle bin if still at its version (412). */
  restore(binned: Company, restored: Company): Promise<void>;
  /** Ids of binned companies whose `purgeAt` is at or before `now` (at most `limit`). */
  dueForPurge(now: string, limit: number): Promise<string[]>;
  /**
   * Removes a binned company that is due at `now`, with its domain guard, in one transaction;
   * `false` (nothing removed) when it was restored or edited meanwhile, or is already gone.
   */
  purge(id: string, now: string): Promise<boolean>;
  list(page: { limit: number; cursor?: string | undefined }): Promise<Page<Company>>;
}
