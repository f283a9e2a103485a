/**
 * The companies capability's data: its events, the stream mapping of the company profile, and the
 * erasure rules of its item types (see `../capability-data.ts`).
 *
 * | item (`entity`) | INSERT          | MODIFY (version increased)                         | REMOVE         |
 * | --------------- | --------------- | -------------------------------------------------- | -------------- |
 * | `company`       | company.created | company.updated / deleted (bin) / restored         | company.purged |
 */
import { companyCreated } from '#events/companies/company-created';
import { companyDeleted } from '#events/companies/company-deleted';
import { companyPurged } from '#events/companies/company-purged';
import { companyRestored } from '#events/companies/company-restored';
import { companyUpdated } from '#events/companies/company-updated';
import { defineCapabilityData } from '#shared/capabilities/capability-data';
import { binnableRecordMapper, bookkeepingFields } from '#shared/events/stream-mapping';

const company = binnableRecordMapper({
  idField: 'companyId',
  facts: ['version', 'ownerId'],
  // `contactsCount` is maintained by contact links, never part of a user edit.
  skip: new Set([...bookkeepingFields, 'contactsCount']),
  events: {
    created: companyCreated,
    updated: companyUpdated,
    deleted: companyDeleted,
    restored: companyRestored,
    purged: companyPurged,
  },
});

export const companiesData = defineCapabilityData({
  name: 'companies',
  events: [companyCreated, companyUpdated, companyDeleted, companyRestored, companyPurged],
  streamMappers: { company },
  items: {
    company: {
      description: 'Company profile',
      erasure: {
        kind: 'none',
        reason: 'an organisation, not a person; its contacts are linked, not embedded',
      },
    },
    uniqueDomain: {
      description: 'Unique-domain guard of a company',
      erasure: { kind: 'none', reason: 'the domain of a company, not of a person' },
    },
    companyContact: {
      description: 'Company ↔ contact link',
      erasure: { kind: 'link' },
      exportSection: 'companyLinks',
    },
  },
});
