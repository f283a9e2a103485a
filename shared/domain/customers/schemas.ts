/** Customer (person/prospect) schemas: the single source of truth for types, validation and OpenAPI. */
import * as z from 'zod';
import { Channel, Id, Locale, PageQuery, pageOf, Tags, Timezone } from '#shared/domain/common/schemas';

export const lifecycleStages = ['subscriber', 'lead', 'prospect', 'customer', 'churned'] as const;
export const LifecycleStage = z.enum(lifecycleStages);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

export const EmailEntry = z.strictObject({
  address: z.email().max(254).meta({ example: 'ada@example.com' }),
  primary: z.boolean().optional(),
  label: z.enum(['work', 'personal', 'other']).optional(),
});

export const PhoneEntry = z.strictObject({
  number: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +4930123456')
    .meta({ example: '+4930123456' }),
  primary: z.boolean().optional(),
  label: z.enum(['mobile', 'work', 'home', 'other']).optional(),
});

const onePrimary = <T extends { primary?: boolean | undefined }>(entries: T[]) =>
  entries.filter((entry) => entry.primary === true).length <= 1;

const Emails = z
  .array(EmailEntry)
  .max(10)
  .refine(onePrimary, 'at most one email can be primary')
  .refine(
    (emails) => new Set(emails.map((e) => e.address.trim().toLowerCase())).size === emails.length,
    'email addresses must be unique',
  );
const Phones = z.array(PhoneEntry).max(10).refine(onePrimary, 'at most one phone can be primary');

/** Custom attribute values; their names and types are checked against the attribute definitions. */
export const AttributeValues = z.record(
  z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'attribute names are identifiers of up to 64 characters'),
  z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]),
);

const Name = z.string().trim().min(1).max(100);

const customerFields = {
  firstName: Name.optional(),
  lastName: Name.optional(),
  emails: Emails.optional(),
  phones: Phones.optional(),
  companyId: Id.optional(),
  jobTitle: z.string().trim().min(1).max(150).optional(),
  lifecycleStage: LifecycleStage.optional(),
  ownerId: z.string().min(1).max(128).optional(),
  tags: Tags.optional(),
  attributes: AttributeValues.optional(),
  source: z.string().trim().min(1).max(100).optional().meta({ example: 'webinar-2026-q4' }),
  channel: Channel.optional(),
  timezone: Timezone.optional(),
  locale: Locale.optional(),
};

export const CustomerCreate = z
  .strictObject(customerFields)
  .refine(
    (c) => c.firstName !== undefined || c.lastName !== undefined || (c.emails?.length ?? 0) > 0,
    'a customer needs a name or an email address',
  )
  .meta({ id: 'CustomerCreate' });
export type CustomerCreate = z.infer<typeof CustomerCreate>;

/** PATCH body: any subset of fields; `null` clears an optional field; `version` may replace If-Match. */
export const CustomerPatch = z
  .strictObject({
    firstName: Name.nullable().optional(),
    lastName: Name.nullable().optional(),
    emails: Emails.optional(),
    phones: Phones.optional(),
    companyId: Id.nullable().optional(),
    jobTitle: z.string().trim().min(1).max(150).nullable().optional(),
    lifecycleStage: LifecycleStage.optional(),
    ownerId: z.string().min(1).max(128).optional(),
    tags: Tags.optional(),
    attributes: AttributeValues.optional(),
    source: z.string().trim().min(1).max(100).nullable().optional(),
    channel: Channel.nullable().optional(),
    timezone: Timezone.nullable().optional(),
    locale: Locale.nullable().optional(),
    version: z.number().int().min(1).optional(),
  })
  .refine((patch) => Object.keys(patch).some((key) => key !== 'version'), 'the patch changes nothing')
  .meta({ id: 'CustomerPatch' });
export type CustomerPatch = z.infer<typeof CustomerPatch>;

export const Customer = z
  .object({
    id: Id,
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    primaryEmail: z.string().optional(),
    emails: z.array(EmailEntry.extend({ primary: z.boolean() })),
    phones: z.array(PhoneEntry.extend({ primary: z.boolean() })),
    companyId: Id.optional(),
    jobTitle: z.string().optional(),
    lifecycleStage: LifecycleStage,
    ownerId: z.string().optional(),
    tags: z.array(z.string()),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    source: z.string().optional(),
    channel: Channel.optional(),
    timezone: z.string().optional(),
    locale: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    deletedAt: z.string().optional().meta({ description: 'Set while the customer is in the recycle bin' }),
    purgeAt: z
      .string()
      .optional()
      .meta({ description: 'When a binned customer is purged unless restored before' }),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

export const CustomerPage = pageOf(Customer, 'CustomerPage');

export const CustomerListQuery = PageQuery.extend({
  email: z
    .email()
    .max(254)
    .optional()
    .meta({ description: 'Exact lookup by any of the customer’s email addresses' }),
});

export const CustomerIdPath = z.strictObject({ id: Id });

/** `POST /customers/{id}/erase`: the right to erasure (GDPR Art. 17). */
export const ErasureRequest = z
  .strictObject({
    reason: z
      .enum(['data_subject_request', 'legal_obligation', 'consent_withdrawn', 'other'])
      .meta({ description: 'Why the data is erased (a category: it is kept as proof, so no free text)' }),
  })
  .meta({ id: 'ErasureRequest' });
export type ErasureRequest = z.infer<typeof ErasureRequest>;

/** What remains of a purge or erasure request: no personal data, only the id, reason and times. */
export const ErasureStatus = z
  .object({
    customerId: Id,
    reason: z.string().meta({ description: '`retention` (recycle bin expired), `erasure` or `purge`' }),
    category: z.string().optional(),
    status: z.enum(['pending', 'done']),
    requestedAt: z.string(),
    requestedBy: z.string(),
    purgedAt: z.string().optional(),
  })
  .meta({ id: 'ErasureStatus' });
export type ErasureStatus = z.infer<typeof ErasureStatus>;

export const ExportQuery = z.strictObject({
  cursor: z.string().max(4096).optional().meta({ description: 'From the previous page’s nextCursor' }),
});

/** `GET /customers/{id}/export`: everything Relay holds about a customer, one page at a time. */
export const CustomerExport = z
  .object({
    customerId: Id,
    exportedAt: z.string(),
    sections: z
      .record(z.string(), z.array(z.record(z.string(), z.unknown())))
      .meta({ description: 'Records by kind (profile, stats, timeline, orders, companyLinks, …)' }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'CustomerExport' });
export type CustomerExport = z.infer<typeof CustomerExport>;
