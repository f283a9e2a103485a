import { z } from 'zod';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';
import { Company } from '#shared/domain/companies/schemas';

export const companyUpdated = defineEvent({
  detailType: 'company.updated',
  source: 'relay.companies',
  version: 1,
  description:
    'A company changed by a user edit (`version` increased); contact-count changes alone emit nothing.',
  producer: 'functions/streams/publish-domain-events.ts (company profile modified)',
  data: {
    companyId: Id,
    previousVersion: z.number().int(),
    changedFields: z.array(z.string()).min(1),
    company: Company,
  },
});
