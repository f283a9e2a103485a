import { z } from 'zod';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

export const companyDeleted = defineEvent({
  detailType: 'company.deleted',
  source: 'relay.companies',
  version: 1,
  description: 'A company was deleted.',
  producer: 'functions/streams/publish-domain-events.ts (company profile removed)',
  data: { companyId: Id, version: z.number().int() },
});
