import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';
import { Company } from '#shared/domain/companies/schemas';

export const companyCreated = defineEvent({
  detailType: 'company.created',
  source: 'relay.companies',
  version: 1,
  description: 'A company was created.',
  producer: 'functions/streams/publish-domain-events.ts (company profile inserted)',
  data: { companyId: Id, company: Company },
});
