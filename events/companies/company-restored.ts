import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

export const companyRestored = defineEvent({
  detailType: 'company.restored',
  source: 'relay.companies',
  version: 1,
  description: 'A deleted company was restored from the recycle bin.',
  producer: 'functions/streams/publish-domain-events.ts (company profile: `deletedAt` removed)',
  data: { companyId: Id, version: z.int() },
});
