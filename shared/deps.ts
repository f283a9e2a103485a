/**
 * The composition root for functions: stores wired to the one DynamoDB client, created lazily
 * once per container and reused across invocations.
 */
import { docClient } from '#shared/aws/clients';
import { config } from '#shared/config';
import { createCompanyStore } from '#shared/db/company-store';
import { createCustomerStore } from '#shared/db/customer-store';
import { createSettingsStore } from '#shared/db/settings-store';
import { type Clock, systemClock } from '#shared/domain/clock';
import type { CompanyStore } from '#shared/domain/companies/store';
import type { CustomerStore } from '#shared/domain/customers/store';
import type { SettingsStore } from '#shared/domain/settings/store';

export interface Deps {
  customers: CustomerStore;
  companies: CompanyStore;
  settings: SettingsStore;
  clock: Clock;
}

let deps: Deps | undefined;

export const appDeps = (): Deps => {
  if (!deps) {
    const { tableName, cursorSecret } = config();
    const client = docClient();
    deps = {
      customers: createCustomerStore(client, tableName, cursorSecret),
      companies: createCompanyStore(client, tableName, cursorSecret),
      settings: createSettingsStore(client, tableName),
      clock: systemClock,
    };
  }
  return deps;
};

/** Forgets the wiring (tests and the local cloud switch tables between runs). */
export const resetDeps = (): void => {
  deps = undefined;
};
