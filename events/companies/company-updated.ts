import * as z from 'zod';
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
    previousVersion: z.number().int(),
    version: z.number().int(),
    changedFields: z.array(z.string()).min(1),
    ownerId: z.string().optional(),
  },
});
