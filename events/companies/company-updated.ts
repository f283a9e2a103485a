import * as z from 'zod/mini';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

/** Version 2 (thin): field NAMES, never values. */
export const companyUpdated = defineEvent({
  detailType: 'company.updated',
  source: 'relay.companies',
  version: 2,
  description:
    'A company changed by a user edit (`version` increased); contact-count changes alone emit nothing. `changedFields` names the fields.',
  producer: 'functions/streams/publish-domain-events.ts (company profile modified)',
  data: {
    companyId: Id,
    previousVersion: z.int(),
    version: z.int(),
    changedFields: z.array(z.string()).check(z.minLength(1)),
    ownerId: z.optional(z.string()),
  },
});
