/**
 * Timeline: the append-only time series of every interaction with a customer. Entries are a zod
 * discriminated union on `type`; `lifecycle_change` entries are written by Relay itself when a
 * customer's stage changes and cannot be appended through the API.
 */
import * as z from 'zod/mini';
import { Channel, CurrencyCode, Id, IsoDateTime, PageQuery, pageOf } from '#shared/domain/common/schemas';
import { LifecycleStage } from '#shared/domain/customers/schemas';

const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const Money = z.number().check(
  z.gte(0),
  z.lte(1e12),
  z.refine((n) => Number(n.toFixed(2)) === n, 'at most 2 decimal places'),
);

/**
 * Who recorded an entry: always the authenticated caller (`user`, from the token) or Relay itself
 * (`system`). Never taken from the request. `customer` appears only on entries stored before the
 * source field existed, when clients could name the actor.
 */
export const Actor = z.strictObject({
  type: z.enum(['user', 'customer', 'system']),
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
});

/**
 * Where an interaction came from, as the client states it: the customer themselves (a web visit,
 * a survey answer) or an external system (a shop, a telephony integration). Recorded beside the
 * actor, which still names the authenticated writer.
 */
export const EntrySource = z
  .strictObject({
    type: z.enum(['customer', 'external']),
    id: z
      .optional(z.string().check(z.minLength(1), z.maxLength(128)))
      .register(z.globalRegistry, { description: 'e.g. the external system' }),
  })
  .register(z.globalRegistry, { id: 'TimelineEntrySource' });

/** Fields every entry has; `occurredAt` defaults to now. The actor comes from the token. */
const base = {
  occurredAt: z.optional(IsoDateTime),
  channel: z.optional(Channel),
  source: z.optional(EntrySource),
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
  name: z.optional(Text(200)),
  quantity: z.int().check(z.gte(1), z.lte(100_000)),
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
    orderId: z
      .optional(Text(100).check(z.regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')))
      .register(z.globalRegistry, {
        description:
          'Your order number. Entries with the same orderId are status changes of ONE order (aggregates count it once); without it the entry is an order of its own.',
      }),
    amount: Money,
    currency: CurrencyCode,
    items: z._default(z.array(OrderItem).check(z.maxLength(100)), []),
    status: z._default(OrderStatus, 'placed'),
  }),
  support_request: z.strictObject({
    ...base,
    type: z.literal('support_request'),
    subject: Text(200),
    description: z.optional(Text(5000)),
    priority: z._default(z.enum(['low', 'normal', 'high', 'urgent']), 'normal'),
    status: z._default(CaseStatus, 'open'),
  }),
  complaint: z.strictObject({
    ...base,
    type: z.literal('complaint'),
    severity: Severity,
    channel: Channel,
    subject: Text(200),
    description: z.optional(Text(5000)),
    status: z._default(CaseStatus, 'open'),
  }),
  call: z.strictObject({
    ...base,
    type: z.literal('call'),
    direction: z.enum(['inbound', 'outbound']),
    durationSeconds: z.int().check(z.gte(0), z.lte(86_400)),
    outcome: z.enum(['connected', 'no_answer', 'voicemail', 'busy', 'callback_requested', 'wrong_number']),
    notes: z.optional(Text(5000)),
  }),
  meeting: z.strictObject({
    ...base,
    type: z.literal('meeting'),
    subject: Text(200),
    durationMinutes: z.optional(z.int().check(z.gte(1), z.lte(1440))),
    notes: z.optional(Text(5000)),
  }),
  interview: z.strictObject({
    ...base,
    type: z.literal('interview'),
    topic: Text(200),
    durationMinutes: z.optional(z.int().check(z.gte(1), z.lte(1440))),
    notes: z.optional(Text(5000)),
  }),
  survey_response: z
    .strictObject({
      ...base,
      type: z.literal('survey_response'),
      survey: Text(100),
      kind: z.enum(['nps', 'csat', 'ces']),
      score: z.int(),
      answers: z._default(
        z.array(z.strictObject({ question: Text(500), answer: Text(2000) })).check(z.maxLength(50)),
        [],
      ),
      comment: z.optional(Text(5000)),
    })
    .check(
      z.superRefine((entry, ctx) => {
        const [min, max] = scoreRanges[entry.kind];
        if (entry.score < min || entry.score > max) {
          ctx.addIssue({
            code: 'custom',
            path: ['score'],
            message: `${entry.kind} scores are ${min}-${max}`,
          });
        }
      }),
    ),
  note: z.strictObject({ ...base, type: z.literal('note'), body: Text(10_000) }),
  email: z.strictObject({
    ...base,
    type: z.literal('email'),
    direction: z.enum(['inbound', 'outbound']),
    subject: Text(300),
    messageId: z.optional(Text(300)),
  }),
  web_visit: z.strictObject({
    ...base,
    type: z.literal('web_visit'),
    url: z.url({ protocol: /^https?$/ }).check(z.maxLength(2000)),
    referrer: z.optional(z.url().check(z.maxLength(2000))),
    durationSeconds: z.optional(z.int().check(z.gte(0), z.lte(86_400))),
    pageViews: z.optional(z.int().check(z.gte(1), z.lte(10_000))),
  }),
  chat: z.strictObject({
    ...base,
    type: z.literal('chat'),
    direction: z._default(z.enum(['inbound', 'outbound']), 'inbound'),
    summary: z.optional(Text(5000)),
    durationSeconds: z.optional(z.int().check(z.gte(0), z.lte(86_400))),
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
  .register(z.globalRegistry, { id: 'TimelineEntryInput' });
export type TimelineEntryInput = z.infer<typeof TimelineEntryInput>;

export const LifecycleChange = z.object({
  type: z.literal('lifecycle_change'),
  from: z.nullable(LifecycleStage),
  to: LifecycleStage,
  reason: z.optional(z.string()),
});

/**
 * Written by the system, never appended by clients: `lifecycle_change` (the stage moved) and
 * `consent_change` (a subscription was granted or withdrawn: the consent ledger, see
 * shared/domain/consent/ledger.ts).
 */
export const systemEntryTypes = ['lifecycle_change', 'consent_change'] as const;

export const entryTypes = [
  ...TimelineEntryInput.def.options.map((o) => o.shape.type.def.values[0] as TimelineEntryInput['type']),
  ...systemEntryTypes,
] as const;
export const EntryType = z.enum(entryTypes as unknown as [string, ...string[]]);
export type EntryType = TimelineEntryInput['type'] | (typeof systemEntryTypes)[number];

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
  .catchall(
    z.object({
      id: Id,
      customerId: Id,
      type: EntryType,
      occurredAt: z.string(),
      recordedAt: z.string(),
      channel: z.optional(Channel),
      actor: Actor,
      source: z.optional(EntrySource),
    }),
    z.unknown(),
  )
  .register(z.globalRegistry, {
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
    status: z
      .optional(CaseStatus)
      .register(z.globalRegistry, { description: '`resolved` closes it, `open` reopens it' }),
    severity: z.optional(Severity).register(z.globalRegistry, { description: 'Complaints only' }),
    resolution: z
      .optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(5000))))
      .register(z.globalRegistry, { description: 'How it was resolved; null clears it' }),
    version: z.optional(z.int().check(z.gte(1))),
  })
  .check(
    z.refine((p) => p.status !== undefined || p.severity !== undefined || p.resolution !== undefined, {
      message: 'change at least one of status, severity, resolution',
      path: ['status'],
    }),
  )
  .register(z.globalRegistry, { id: 'TimelineEntryPatch' });
export type TimelineEntryPatch = z.infer<typeof TimelineEntryPatch>;

export const TimelineQuery = z
  .extend(PageQuery, {
    type: z.optional(EntryType).register(z.globalRegistry, { description: 'Only entries of this type' }),
    from: z
      .optional(IsoDateTime)
      .register(z.globalRegistry, { description: 'Inclusive lower bound on occurredAt' }),
    to: z
      .optional(IsoDateTime)
      .register(z.globalRegistry, { description: 'Inclusive upper bound on occurredAt' }),
  })
  .check(
    z.refine((q) => !q.from || !q.to || q.from <= q.to, {
      message: '`from` must not be after `to`',
      path: ['from'],
    }),
  );

/** Aggregates kept with every customer and returned by the 360 view. */
export const CustomerStats = z
  .object({
    ordersCount: z.int(),
    revenue: z
      .record(z.string(), z.number())
      .register(z.globalRegistry, { description: 'Order revenue per currency (major units)' }),
    openComplaints: z.int(),
    complaintsCount: z.int(),
    lastContactAt: z.nullable(z.string()),
    lastOrderAt: z.nullable(z.string()),
    entryCounts: z.record(z.string(), z.int()),
    openSeriousComplaints: z
      .int()
      .register(z.globalRegistry, { description: 'Open complaints of high or critical severity' }),
    needsAttention: z.optional(z.boolean()).register(z.globalRegistry, {
      description:
        'Set by an open high or critical complaint (rule flag-serious-complaints); cleared when the last one is resolved',
    }),
    attentionReason: z.optional(z.string()).register(z.globalRegistry, { example: 'critical complaint' }),
    attentionSince: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'When attention was first needed' }),
  })
  .register(z.globalRegistry, { id: 'CustomerStats' });
export type CustomerStats = z.infer<typeof CustomerStats>;

export { Id };
