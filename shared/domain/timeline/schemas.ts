/**
 * Timeline: the append-only time series of every interaction with a customer. Entries are a zod
 * discriminated union on `type`; `lifecycle_change` entries are written by Relay itself when a
 * customer's stage changes and cannot be appended through the API.
 */
import * as z from 'zod';
import { Channel, CurrencyCode, Id, IsoDateTime, PageQuery, pageOf } from '#shared/domain/common/schemas';
import { LifecycleStage } from '#shared/domain/customers/schemas';

const Text = (max: number) => z.string().trim().min(1).max(max);
const Money = z
  .number()
  .min(0)
  .max(1e12)
  .refine((n) => Number(n.toFixed(2)) === n, 'at most 2 decimal places');

/**
 * Who recorded an entry: always the authenticated caller (`user`, from the token) or Relay itself
 * (`system`). Never taken from the request. `customer` appears only on entries stored before the
 * source field existed, when clients could name the actor.
 */
export const Actor = z.strictObject({
  type: z.enum(['user', 'customer', 'system']),
  id: z.string().min(1).max(128).optional(),
});

/**
 * Where an interaction came from, as the client states it: the customer themselves (a web visit,
 * a survey answer) or an external system (a shop, a telephony integration). Recorded beside the
 * actor, which still names the authenticated writer.
 */
export const EntrySource = z
  .strictObject({
    type: z.enum(['customer', 'external']),
    id: z.string().min(1).max(128).optional().meta({ description: 'e.g. the external system' }),
  })
  .meta({ id: 'TimelineEntrySource' });

/** Fields every entry has; `occurredAt` defaults to now. The actor comes from the token. */
const base = {
  occurredAt: IsoDateTime.optional(),
  channel: Channel.optional(),
  source: EntrySource.optional(),
};

/** Order statuses; `cancelled`, `returned` and `refunded` orders do not count as revenue. */
export const OrderStatus = z.enum([
  'placed',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'returned',
  'refunded',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** Open/resolved state of a complaint or support request (new entries are `open`). */
export const CaseStatus = z.enum(['open', 'resolved']);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;

const OrderItem = z.strictObject({
  sku: Text(64),
  name: Text(200).optional(),
  quantity: z.number().int().min(1).max(100_000),
  unitPrice: Money,
});

/** Valid score range per survey kind (NPS 0-10, CSAT 1-5, CES 1-7). */
export const scoreRanges: Record<'nps' | 'csat' | 'ces', readonly [number, number]> = {
  nps: [0, 10],
  csat: [1, 5],
  ces: [1, 7],
};

export const entryBodies = {
  order: z.strictObject({
    ...base,
    type: z.literal('order'),
    orderId: Text(100)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .optional()
      .meta({
        description:
          'Your order number. Entries with the same orderId are status changes of ONE order (aggregates count it once); without it the entry is an order of its own.',
      }),
    amount: Money,
    currency: CurrencyCode,
    items: z.array(OrderItem).max(100).default([]),
    status: OrderStatus.default('placed'),
  }),
  support_request: z.strictObject({
    ...base,
    type: z.literal('support_request'),
    subject: Text(200),
    description: Text(5000).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
    status: CaseStatus.default('open'),
  }),
  complaint: z.strictObject({
    ...base,
    type: z.literal('complaint'),
    severity: Severity,
    channel: Channel,
    subject: Text(200),
    description: Text(5000).optional(),
    status: CaseStatus.default('open'),
  }),
  call: z.strictObject({
    ...base,
    type: z.literal('call'),
    direction: z.enum(['inbound', 'outbound']),
    durationSeconds: z.number().int().min(0).max(86_400),
    outcome: z.enum(['connected', 'no_answer', 'voicemail', 'busy', 'callback_requested', 'wrong_number']),
    notes: Text(5000).optional(),
  }),
  meeting: z.strictObject({
    ...base,
    type: z.literal('meeting'),
    subject: Text(200),
    durationMinutes: z.number().int().min(1).max(1440).optional(),
    notes: Text(5000).optional(),
  }),
  interview: z.strictObject({
    ...base,
    type: z.literal('interview'),
    topic: Text(200),
    durationMinutes: z.number().int().min(1).max(1440).optional(),
    notes: Text(5000).optional(),
  }),
  survey_response: z
    .strictObject({
      ...base,
      type: z.literal('survey_response'),
      survey: Text(100),
      kind: z.enum(['nps', 'csat', 'ces']),
      score: z.number().int(),
      answers: z
        .array(z.strictObject({ question: Text(500), answer: Text(2000) }))
        .max(50)
        .default([]),
      comment: Text(5000).optional(),
    })
    .superRefine((entry, ctx) => {
      const [min, max] = scoreRanges[entry.kind];
      if (entry.score < min || entry.score > max) {
        ctx.addIssue({ code: 'custom', path: ['score'], message: `${entry.kind} scores are ${min}-${max}` });
      }
    }),
  note: z.strictObject({ ...base, type: z.literal('note'), body: Text(10_000) }),
  email: z.strictObject({
    ...base,
    type: z.literal('email'),
    direction: z.enum(['inbound', 'outbound']),
    subject: Text(300),
    messageId: Text(300).optional(),
  }),
  web_visit: z.strictObject({
    ...base,
    type: z.literal('web_visit'),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    referrer: z.url().max(2000).optional(),
    durationSeconds: z.number().int().min(0).max(86_400).optional(),
    pageViews: z.number().int().min(1).max(10_000).optional(),
  }),
  chat: z.strictObject({
    ...base,
    type: z.literal('chat'),
    direction: z.enum(['inbound', 'outbound']).default('inbound'),
    summary: Text(5000).optional(),
    durationSeconds: z.number().int().min(0).max(86_400).optional(),
  }),
};

/** What clients may append (everything but `lifecycle_change`). */
export const TimelineEntryInput = z
  .discriminatedUnion('type', [
    entryBodies.order,
    entryBodies.support_request,
    entryBodies.complaint,
    entryBodies.call,
    entryBodies.meeting,
    entryBodies.interview,
    entryBodies.survey_response,
    entryBodies.note,
    entryBodies.email,
    entryBodies.web_visit,
    entryBodies.chat,
  ])
  .meta({ id: 'TimelineEntryInput' });
export type TimelineEntryInput = z.infer<typeof TimelineEntryInput>;

export const LifecycleChange = z.object({
  type: z.literal('lifecycle_change'),
  from: LifecycleStage.nullable(),
  to: LifecycleStage,
  reason: z.string().optional(),
});

export const entryTypes = [
  ...TimelineEntryInput.options.map((o) => o.shape.type.value),
  'lifecycle_change',
] as const;
export const EntryType = z.enum(entryTypes as unknown as [string, ...string[]]);
export type EntryType = TimelineEntryInput['type'] | 'lifecycle_change';

/** Types that count as a contact with the customer for `lastContactAt`. */
export const contactTypes: ReadonlySet<EntryType> = new Set([
  'order',
  'support_request',
  'complaint',
  'call',
  'meeting',
  'interview',
  'survey_response',
  'email',
  'chat',
]);

export const TimelineEntry = z
  .object({
    id: Id,
    customerId: Id,
    type: EntryType,
    occurredAt: z.string(),
    recordedAt: z.string(),
    channel: Channel.optional(),
    actor: Actor,
    source: EntrySource.optional(),
  })
  .catchall(z.unknown())
  .meta({
    id: 'TimelineEntry',
    description: 'A timeline entry: the common fields plus the fields of its type',
  });
export type TimelineEntry = {
  id: string;
  customerId: string;
  type: EntryType;
  occurredAt: string;
  recordedAt: string;
  channel?: z.infer<typeof Channel>;
  actor: z.infer<typeof Actor>;
  source?: z.infer<typeof EntrySource>;
} & Record<string, unknown>;

export const TimelinePage = pageOf(TimelineEntry, 'TimelinePage');

export const TimelineEntryPath = z.strictObject({ id: Id, entryId: Id });

/** Resolve, reopen or re-grade a complaint or support request (`If-Match` or `version` required). */
export const TimelineEntryPatch = z
  .strictObject({
    status: CaseStatus.optional().meta({ description: '`resolved` closes it, `open` reopens it' }),
    severity: Severity.optional().meta({ description: 'Complaints only' }),
    resolution: z
      .string()
      .trim()
      .min(1)
      .max(5000)
      .nullable()
      .optional()
      .meta({ description: 'How it was resolved; null clears it' }),
    version: z.number().int().min(1).optional(),
  })
  .refine((p) => p.status !== undefined || p.severity !== undefined || p.resolution !== undefined, {
    message: 'change at least one of status, severity, resolution',
    path: ['status'],
  })
  .meta({ id: 'TimelineEntryPatch' });
export type TimelineEntryPatch = z.infer<typeof TimelineEntryPatch>;

export const TimelineQuery = PageQuery.extend({
  type: EntryType.optional().meta({ description: 'Only entries of this type' }),
  from: IsoDateTime.optional().meta({ description: 'Inclusive lower bound on occurredAt' }),
  to: IsoDateTime.optional().meta({ description: 'Inclusive upper bound on occurredAt' }),
}).refine((q) => !q.from || !q.to || q.from <= q.to, {
  message: '`from` must not be after `to`',
  path: ['from'],
});

/** Aggregates kept with every customer and returned by the 360 view. */
export const CustomerStats = z
  .object({
    ordersCount: z.number().int(),
    revenue: z
      .record(z.string(), z.number())
      .meta({ description: 'Order revenue per currency (major units)' }),
    openComplaints: z.number().int(),
    complaintsCount: z.number().int(),
    lastContactAt: z.string().nullable(),
    lastOrderAt: z.string().nullable(),
    entryCounts: z.record(z.string(), z.number().int()),
    openSeriousComplaints: z
      .number()
      .int()
      .meta({ description: 'Open complaints of high or critical severity' }),
    needsAttention: z.boolean().optional().meta({
      description:
        'Set by an open high or critical complaint (rule flag-serious-complaints); cleared when the last one is resolved',
    }),
    attentionReason: z.string().optional().meta({ example: 'critical complaint' }),
    attentionSince: z.string().optional().meta({ description: 'When attention was first needed' }),
  })
  .meta({ id: 'CustomerStats' });
export type CustomerStats = z.infer<typeof CustomerStats>;

export { Id };
