/** Company schemas. */
import * as z from 'zod';
import { Id, PageQuery, pageOf, Tags } from '#shared/domain/common/schemas';

export const companySizes = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5000+'] as const;

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?!-)(?:[a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'must be a domain name such as example.com')
  .meta({ example: 'example.com' });

const companyFields = {
  name: z.string().trim().min(1).max(200),
  domain: Domain.optional(),
  industry: z.string().trim().min(1).max(100).optional(),
  size: z.enum(companySizes).optional(),
  ownerId: z.string().min(1).max(128).optional(),
  tags: Tags.optional(),
};

export const CompanyCreate = z.strictObject(companyFields).meta({ id: 'CompanyCreate' });
export type CompanyCreate = z.infer<typeof CompanyCreate>;

export const CompanyPatch = z
  .strictObject({
    name: companyFields.name.optional(),
    domain: Domain.nullable().optional(),
    industry: companyFields.industry.unwrap().nullable().optional(),
    size: z.enum(companySizes).nullable().optional(),
    ownerId: companyFields.ownerId,
    tags: Tags.optional(),
    version: z.number().int().min(1).optional(),
  })
  .refine((patch) => Object.keys(patch).some((key) => key !== 'version'), 'the patch changes nothing')
  .meta({ id: 'CompanyPatch' });
export type CompanyPatch = z.infer<typeof CompanyPatch>;

export const Company = z
  .object({
    id: Id,
    name: z.string(),
    domain: z.string().optional(),
    industry: z.string().optional(),
    size: z.enum(companySizes).optional(),
    ownerId: z.string().optional(),
    tags: z.array(z.string()),
    contactsCount: z.number().int().optional().meta({ description: 'Number of linked contacts' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    deletedAt: z.string().optional().meta({ description: 'Set while the company is in the recycle bin' }),
    purgeAt: z
      .string()
      .optional()
      .meta({ description: 'When a binned company is purged unless restored before' }),
  })
  .meta({ id: 'Company' });
export type Company = z.infer<typeof Company>;

export const CompanyPage = pageOf(Company, 'CompanyPage');
export const CompanyListQuery = PageQuery;
export const CompanyIdPath = z.strictObject({ id: Id });
