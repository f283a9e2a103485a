import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

/** Version 2 (thin): ids only (a company's name can be a person's: a sole trader). */
export const companyCreated = defineEvent({
  detailType: 'company.created',
  source: 'relay.companies',
  version: 2,
  description: 'A company was created. Thin: read it with `GET /companies/{id}`.',
  producer: 'functions/streams/publish-domain-events.ts (company profile inserted)',
  data: { companyId: Id, version: z.int(), ownerId: z.optional(z.string()) },
});
