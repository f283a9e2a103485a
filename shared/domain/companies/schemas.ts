/** Company schemas. */
import * as z from 'zod/mini';
import { Id, PageQuery, pageOf, Tags } from '#shared/domain/common/schemas';

export const companySizes = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5000+'] as const;

const Domain = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.maxLength(253),
    z.regex(/^(?!-)(?:[a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'must be a domain name such as example.com'),
  )
  .register(z.globalRegistry, { example: 'example.com' });

const companyFields = {
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  domain: z.optional(Domain),
  industry: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  size: z.optional(z.enum(companySizes)),
  ownerId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  tags: z.optional(Tags),
};

export const CompanyCreate = z
  .strictObject(companyFields)
  .register(z.globalRegistry, { id: 'CompanyCreate' });
export type CompanyCreate = z.infer<typeof CompanyCreate>;

export const CompanyPatch = z
  .strictObject({
    name: z.optional(companyFields.name),
    domain: z.optional(z.nullable(Domain)),
    industry: z.optional(z.nullable(companyFields.industry.def.innerType)),
    size: z.optional(z.nullable(z.enum(companySizes))),
    ownerId: companyFields.ownerId,
    tags: z.optional(Tags),
    version: z.optional(z.int().check(z.gte(1))),
  })
  .check(
    z.refine((patch) => Object.keys(patch).some((key) => key !== 'version'), 'the patch changes nothing'),
  )
  .register(z.globalRegistry, { id: 'CompanyPatch' });
export type CompanyPatch = z.infer<typeof CompanyPatch>;

export const Company = z
  .object({
    id: Id,
    name: z.string(),
    domain: z.optional(z.string()),
    industry: z.optional(z.string()),
    size: z.optional(z.enum(companySizes)),
    ownerId: z.optional(z.string()),
    tags: z.array(z.string()),
    contactsCount: z
      .optional(z.int())
      .register(z.globalRegistry, { description: 'Number of linked contacts' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.int(),
    deletedAt: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'Set while the company is in the recycle bin' }),
    purgeAt: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'When a binned company is purged unless restored before' }),
  })
  .register(z.globalRegistry, { id: 'Company' });
export type Company = z.infer<typeof Company>;

export const CompanyPage = pageOf(Company, 'CompanyPage');
export const CompanyListQuery = PageQuery;
export const CompanyIdPath = z.strictObject({ id: Id });
