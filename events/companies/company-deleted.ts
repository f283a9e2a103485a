import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

export const companyDeleted = defineEvent({
  detailType: 'company.deleted',
  source: 'relay.companies',
  version: 1,
  description:
    'A company was deleted: moved to the recycle bin, restorable until `purgeAt` (then `company.purged`).',
  producer: 'functions/streams/publish-domain-events.ts (company profile binned: `deletedAt` set)',
  data: {
    companyId: Id,
    version: z.int(),
    purgeAt: z.optional(z.iso.datetime({ offset: true })),
  },
});
