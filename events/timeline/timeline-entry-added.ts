import * as z from 'zod/mini';
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
    type: z.string().check(z.minLength(1), z.maxLength(64)),
    occurredAt: z.iso.datetime({ offset: true }),
    channel: z.optional(z.string().check(z.maxLength(32))),
    severity: z
      .optional(z.string().check(z.maxLength(32)))
      .register(z.globalRegistry, { description: 'complaint severity' }),
    status: z
      .optional(z.string().check(z.maxLength(32)))
      .register(z.globalRegistry, { description: 'order or case status' }),
    priority: z
      .optional(z.string().check(z.maxLength(32)))
      .register(z.globalRegistry, { description: 'support request priority' }),
    orderId: z.optional(z.string().check(z.maxLength(100))),
    amount: z.optional(z.number()).register(z.globalRegistry, { description: 'order amount (major units)' }),
    currency: z.optional(z.string().check(z.length(3))),
    kind: z
      .optional(z.string().check(z.maxLength(16)))
      .register(z.globalRegistry, { description: 'survey kind: nps, csat, ces' }),
    score: z.optional(z.number()).register(z.globalRegistry, { description: 'survey score' }),
    direction: z
      .optional(z.string().check(z.maxLength(16)))
      .register(z.globalRegistry, { description: 'inbound or outbound' }),
  },
});
