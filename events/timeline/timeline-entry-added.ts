import * as z from 'zod';
import { defineEvent } from '#events/contract';
import { Id } from '#shared/domain/common/schemas';

/**
 * Version 2 (thin): the entry's id, type and the non-personal facts rules route on — never its free
 * text. `type` is a plain string so a new entry type does not change this schema.
 */
export const timelineEntryAdded = defineEvent({
  detailType: 'timeline.entry_added',
  source: 'relay.timeline',
  version: 2,
  description:
    'An interaction was appended to a customer’s timeline. `type` is the entry type, so rules can match `complaint`, `order`, `survey_response`…; routing facts (severity, order id/status/amount/currency, survey kind/score, direction) sit beside it. Read the entry with `GET /customers/{id}/timeline/{entryId}`.',
  producer: 'functions/streams/publish-domain-events.ts (timeline entry inserted)',
  data: {
    customerId: Id,
    entryId: Id,
    type: z.string().min(1).max(64),
    occurredAt: z.iso.datetime({ offset: true }),
    channel: z.string().max(32).optional(),
    severity: z.string().max(32).optional().meta({ description: 'complaint severity' }),
    status: z.string().max(32).optional().meta({ description: 'order or case status' }),
    priority: z.string().max(32).optional().meta({ description: 'support request priority' }),
    orderId: z.string().max(100).optional(),
    amount: z.number().optional().meta({ description: 'order amount (major units)' }),
    currency: z.string().length(3).optional(),
    kind: z.string().max(16).optional().meta({ description: 'survey kind: nps, csat, ces' }),
    score: z.number().optional().meta({ description: 'survey score' }),
    direction: z.string().max(16).optional().meta({ description: 'inbound or outbound' }),
  },
});
