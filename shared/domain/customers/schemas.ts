/** Customer (person/prospect) schemas: the single source of truth for types, validation and OpenAPI. */
import * as z from 'zod/mini';
import { Channel, Id, Locale, PageQuery, pageOf, Tags, Timezone } from '#shared/domain/common/schemas';

export const lifecycleStages = ['subscriber', 'lead', 'prospect', 'customer', 'churned'] as const;
export const LifecycleStage = z.enum(lifecycleStages);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

export const EmailEntry = z.strictObject({
  address: z.email().check(z.maxLength(254)).register(z.globalRegistry, { example: 'ada@example.com' }),
  primary: z.optional(z.boolean()),
  label: z.optional(z.enum(['work', 'personal', 'other'])),
});

export const PhoneEntry = z.strictObject({
  number: z
    .string()
    .check(z.regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +4930123456'))
    .register(z.globalRegistry, { example: '+4930123456' }),
  primary: z.optional(z.boolean()),
  label: z.optional(z.enum(['mobile', 'work', 'home', 'other'])),
});

const onePrimary = <T extends { primary?: boolean | undefined }>(entries: T[]) =>
  entries.filter((entry) => entry.primary === true).length <= 1;

const Emails = z.array(EmailEntry).check(
  z.maxLength(10),
  z.refine(onePrimary, 'at most one email can be primary'),
  z.refine(
    (emails) => new Set(emails.map((e) => e.address.trim().toLowerCase())).size === emails.length,
    'email addresses must be unique',
  ),
);
const Phones = z
  .array(PhoneEntry)
  .check(z.maxLength(10), z.refine(onePrimary, 'at most one phone can be primary'));

/** Custom attribute values; their names and types are checked against the attribute definitions. */
export const AttributeValues = z.record(
  z
    .string()
    .check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'attribute names are identifiers of up to 64 characters')),
  z.union([z.string().check(z.maxLength(2000)), z.number(), z.boolean(), z.null()]),
);

const Name = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));

const customerFields = {
  firstName: z.optional(Name),
  lastName: z.optional(Name),
  emails: z.optional(Emails),
  phones: z.optional(Phones),
  companyId: z.optional(Id),
  jobTitle: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(150))),
  lifecycleStage: z.optional(LifecycleStage),
  ownerId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  tags: z.optional(Tags),
  attributes: z.optional(AttributeValues),
  source: z
    .optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)))
    .register(z.globalRegistry, { example: 'webinar-2026-q4' }),
  channel: z.optional(Channel),
  timezone: z.optional(Timezone),
  locale: z.optional(Locale),
};

export const CustomerCreate = z
  .strictObject(customerFields)
  .check(
    z.refine(
      (c) => c.firstName !== undefined || c.lastName !== undefined || (c.emails?.length ?? 0) > 0,
      'a customer needs a name or an email address',
    ),
  )
  .register(z.globalRegistry, { id: 'CustomerCreate' });
export type CustomerCreate = z.infer<typeof CustomerCreate>;

/** PATCH body: any subset of fields; `null` clears an optional field; `version` may replace If-Match. */
export const CustomerPatch = z
  .strictObject({
    firstName: z.optional(z.nullable(Name)),
    lastName: z.optional(z.nullable(Name)),
    emails: z.optional(Emails),
    phones: z.optional(Phones),
    companyId: z.optional(z.nullable(Id)),
    jobTitle: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(150)))),
    lifecycleStage: z.optional(LifecycleStage),
    ownerId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    tags: z.optional(Tags),
    attributes: z.optional(AttributeValues),
    source: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)))),
    channel: z.optional(z.nullable(Channel)),
    timezone: z.optional(z.nullable(Timezone)),
    locale: z.optional(z.nullable(Locale)),
    version: z.optional(z.int().check(z.gte(1))),
  })
  .check(
    z.refine((patch) => Object.keys(patch).some((key) => key !== 'version'), 'the patch changes nothing'),
  )
  .register(z.globalRegistry, { id: 'CustomerPatch' });
export type CustomerPatch = z.infer<typeof CustomerPatch>;

export const Customer = z
  .object({
    id: Id,
    firstName: z.optional(z.string()),
    lastName: z.optional(z.string()),
    primaryEmail: z.optional(z.string()),
    emails: z.array(z.extend(EmailEntry, { primary: z.boolean() })),
    phones: z.array(z.extend(PhoneEntry, { primary: z.boolean() })),
    companyId: z.optional(Id),
    jobTitle: z.optional(z.string()),
    lifecycleStage: LifecycleStage,
    ownerId: z.optional(z.string()),
    tags: z.array(z.string()),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    source: z.optional(z.string()),
    channel: z.optional(Channel),
    timezone: z.optional(z.string()),
    locale: z.optional(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.int(),
    deletedAt: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'Set while the customer is in the recycle bin' }),
    purgeAt: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'When a binned customer is purged unless restored before' }),
  })
  .register(z.globalRegistry, { id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

export const CustomerPage = pageOf(Customer, 'CustomerPage');

export const CustomerListQuery = z.extend(PageQuery, {
  email: z
    .optional(z.email().check(z.maxLength(254)))
    .register(z.globalRegistry, { description: 'Exact lookup by any of the customer’s email addresses' }),
});

export const CustomerIdPath = z.strictObject({ id: Id });

/** `POST /customers/{id}/erase`: the right to erasure (GDPR Art. 17). */
export const ErasureRequest = z
  .strictObject({
    reason: z
      .enum(['data_subject_request', 'legal_obligation', 'consent_withdrawn', 'other'])
      .register(z.globalRegistry, {
        description: 'Why the data is erased (a category: it is kept as proof, so no free text)',
      }),
  })
  .register(z.globalRegistry, { id: 'ErasureRequest' });
export type ErasureRequest = z.infer<typeof ErasureRequest>;

/** What remains of a purge or erasure request: no personal data, only the id, reason and times. */
export const ErasureStatus = z
  .object({
    customerId: Id,
    reason: z
      .string()
      .register(z.globalRegistry, { description: '`retention` (recycle bin expired), `erasure` or `purge`' }),
    category: z.optional(z.string()),
    status: z.enum(['pending', 'done']),
    requestedAt: z.string(),
    requestedBy: z.string(),
    purgedAt: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'ErasureStatus' });
export type ErasureStatus = z.infer<typeof ErasureStatus>;

export const ExportQuery = z.strictObject({
  cursor: z
    .optional(z.string().check(z.maxLength(4096)))
    .register(z.globalRegistry, { description: 'From the previous page’s nextCursor' }),
});

/** `GET /customers/{id}/export`: everything Relay holds about a customer, one page at a time. */
export const CustomerExport = z
  .object({
    customerId: Id,
    exportedAt: z.string(),
    sections: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).register(z.globalRegistry, {
      description: 'Records by kind (profile, stats, timeline, orders, companyLinks, …)',
    }),
    nextCursor: z.nullable(z.string()),
  })
  .register(z.globalRegistry, { id: 'CustomerExport' });
export type CustomerExport = z.infer<typeof CustomerExport>;
