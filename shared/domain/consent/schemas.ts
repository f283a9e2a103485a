/**
 * Marketing consent: admin-managed subscription types, a customer's subscription state and its
 * append-only ledger (consent_change entries on the timeline), and the account suppression list.
 */
import * as z from 'zod/mini';
import { Id, IsoDateTime, PageQuery, pageOf } from '#shared/domain/common/schemas';
import { Actor } from '#shared/domain/timeline/schemas';

export const legalBases = ['consent', 'legitimate_interest', 'contract'] as const;
export const LegalBasis = z.enum(legalBases);

/** Subscription type ids are slugs: they appear in tokens, events and segment rules. */
export const SubscriptionTypeId = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9_]{1,39}$/, 'subscription type ids are 2-40 lower-case letters, digits or _'))
  .register(z.globalRegistry, { example: 'newsletter' });

const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const SubscriptionType = z.strictObject({
  id: SubscriptionTypeId,
  name: Text(100),
  purpose: Text(500),
  /** `opt_in`: nobody is subscribed until they say so; `opt_out`: everyone is, until they withdraw. */
  default: z.enum(['opt_in', 'opt_out']),
  legalBasis: LegalBasis,
  doubleOptIn: z._default(z.boolean(), false),
  /** An archived type keeps its ledger but takes no new subscriptions and is not offered. */
  archived: z._default(z.boolean(), false),
});
export type SubscriptionType = z.infer<typeof SubscriptionType>;

export const SubscriptionTypes = z
  .strictObject({
    types: z.array(SubscriptionType).check(
      z.maxLength(50),
      z.refine((types) => new Set(types.map((t) => t.id)).size === types.length, 'type ids must be unique'),
      z.superRefine((types, ctx) => {
        types.forEach((type, index) => {
          if (type.default === 'opt_out' && type.legalBasis === 'consent') {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'default'],
              message: 'consent-based types must be opt_in: consent is never presumed',
            });
          }
          if (type.doubleOptIn && type.default === 'opt_out') {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'doubleOptIn'],
              message: 'double opt-in applies to opt_in types only',
            });
          }
        });
      }),
    ),
    version: z.optional(z.int().check(z.gte(0))),
  })
  .register(z.globalRegistry, { id: 'SubscriptionTypes' });
export type SubscriptionTypes = z.infer<typeof SubscriptionTypes>;

export const SubscriptionTypesView = z
  .object({
    types: z.array(SubscriptionType),
    version: z.int(),
    updatedAt: z.nullable(z.string()),
  })
  .register(z.globalRegistry, { id: 'SubscriptionTypesView' });
export type SubscriptionTypesView = z.infer<typeof SubscriptionTypesView>;

/** `pending`: a double opt-in subscription waiting for its confirmation. */
export const consentStatuses = ['subscribed', 'unsubscribed', 'pending'] as const;
export const ConsentStatus = z.enum(consentStatuses);
export type ConsentStatus = z.infer<typeof ConsentStatus>;

/** Where a change came from (the ledger's `source`). */
export const consentSources = [
  'api',
  'form',
  'import',
  'preference-page',
  'one-click',
  'double-opt-in',
] as const;
export const ConsentSource = z.enum(consentSources);
export type ConsentSource = z.infer<typeof ConsentSource>;

export const ConsentProof = z.strictObject({
  ipAddress: z.optional(z.string().check(z.maxLength(64))),
  userAgent: z.optional(z.string().check(z.maxLength(512))),
  /** When the double opt-in link was followed. */
  confirmedAt: z.optional(IsoDateTime),
  /** A reference to the form, import batch or campaign the change came through. */
  reference: z.optional(z.string().check(z.maxLength(200))),
});
export type ConsentProof = z.infer<typeof ConsentProof>;

/** The stored current state of one type (the `S#consents` summary item's `types` member). */
export interface StoredConsent {
  status: ConsentStatus;
  changedAt: string;
  source: ConsentSource;
}

export const Subscription = z.object({
  type: SubscriptionTypeId,
  name: z.string(),
  status: ConsentStatus,
  /** `false`: nothing recorded yet, the status is the type's default. */
  explicit: z.boolean(),
  legalBasis: LegalBasis,
  changedAt: z.nullable(z.string()),
  source: z.nullable(ConsentSource),
});
export type Subscription = z.infer<typeof Subscription>;

export const SubscriptionsView = z
  .object({
    customerId: Id,
    subscriptions: z.array(Subscription),
    version: z
      .int()
      .register(z.globalRegistry, { description: 'Version of the subscription state (If-Match on PUT)' }),
  })
  .register(z.globalRegistry, { id: 'SubscriptionsView' });
export type SubscriptionsView = z.infer<typeof SubscriptionsView>;

export const SubscriptionsChange = z
  .strictObject({
    changes: z
      .array(z.strictObject({ type: SubscriptionTypeId, status: z.enum(['subscribed', 'unsubscribed']) }))
      .check(
        z.minLength(1),
        z.maxLength(50),
        z.refine(
          (changes) => new Set(changes.map((c) => c.type)).size === changes.length,
          'each type may appear once',
        ),
      ),
    source: z._default(z.enum(['api', 'form', 'import']), 'api'),
    proof: z.optional(ConsentProof),
    version: z.optional(z.int().check(z.gte(0))),
  })
  .register(z.globalRegistry, { id: 'SubscriptionsChange' });
export type SubscriptionsChange = z.infer<typeof SubscriptionsChange>;

export const ConsentRecord = z
  .object({
    id: Id,
    customerId: Id,
    type: SubscriptionTypeId,
    status: ConsentStatus,
    previousStatus: ConsentStatus,
    source: ConsentSource,
    legalBasis: LegalBasis,
    at: z.string(),
    actor: Actor,
    proof: z.optional(ConsentProof),
  })
  .register(z.globalRegistry, { id: 'ConsentRecord' });
export type ConsentRecord = z.infer<typeof ConsentRecord>;

export const ConsentHistoryPage = pageOf(ConsentRecord, 'ConsentHistoryPage');
export const ConsentHistoryQuery = PageQuery;

// ── suppression list ───────────────────────────────────────────────────────────────────────────
export const suppressionReasons = ['hard_bounce', 'complaint', 'manual'] as const;
export const SuppressionReason = z.enum(suppressionReasons);

const Email = z.email().check(z.maxLength(254));

export const SuppressionPath = z.strictObject({ email: Email });
export const SuppressionPut = z
  .strictObject({
    reason: SuppressionReason,
    note: z.optional(Text(500)),
  })
  .register(z.globalRegistry, { id: 'SuppressionPut' });
export type SuppressionPut = z.infer<typeof SuppressionPut>;

export const Suppression = z
  .object({
    email: z.string(),
    reason: SuppressionReason,
    note: z.optional(z.string()),
    suppressedAt: z.string(),
    suppressedBy: Actor,
  })
  .register(z.globalRegistry, { id: 'Suppression' });
export type Suppression = z.infer<typeof Suppression>;

export const SuppressionPage = pageOf(Suppression, 'SuppressionPage');
export const SuppressionQuery = z.extend(PageQuery, {
  email: z
    .optional(Email)
    .register(z.globalRegistry, { description: 'Exact lookup: the page holds that address or nothing' }),
});

// ── unsubscribe and the preference page (public, token-bound) ──────────────────────────────────
export const TokenQuery = z.strictObject({
  token: z.string().check(z.minLength(1), z.maxLength(1024)),
});
/** RFC 8058: the one-click POST body is exactly `List-Unsubscribe=One-Click`. */
export const OneClickForm = z.strictObject({ 'List-Unsubscribe': z.literal('One-Click') });
/** The preference page's form: the checked types (`subscribed=<id>`, once per checked box). */
export const PreferencesForm = z.strictObject({
  subscribed: z.optional(z.union([SubscriptionTypeId, z.array(SubscriptionTypeId).check(z.maxLength(50))])),
});
export type PreferencesForm = z.infer<typeof PreferencesForm>;
