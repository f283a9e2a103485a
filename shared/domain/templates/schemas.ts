/**
 * Email template schemas: the single source of truth for types, validation and OpenAPI. The
 * placeholder check (Handlebars AST) runs in the service, where the attribute definitions are known.
 */
import * as z from 'zod/mini';
import { Id, PageQuery, pageOf } from '#shared/domain/common/schemas';

export const templateKinds = ['marketing', 'transactional'] as const;
export const TemplateKind = z.enum(templateKinds);
export type TemplateKind = z.infer<typeof TemplateKind>;

const TemplateName = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(100))
  .register(z.globalRegistry, { description: 'Unique per account (case-insensitive)' });
const Subject = z.string().check(z.minLength(1), z.maxLength(998));
const Html = z.string().check(z.minLength(1), z.maxLength(100_000));
const Text = z.string().check(z.minLength(1), z.maxLength(50_000));
const Description = z.string().check(z.trim(), z.minLength(1), z.maxLength(500));
export const TemplateDefaults = z
  .record(z.string().check(z.minLength(1), z.maxLength(100)), z.string().check(z.maxLength(1_000)))
  .check(z.refine((defaults) => Object.keys(defaults).length <= 50, 'at most 50 defaults'))
  .register(z.globalRegistry, {
    description: 'Placeholder → value used when the recipient has no value for it',
    example: { firstName: 'there' },
  });

export const TemplateCreate = z
  .strictObject({
    name: TemplateName,
    kind: TemplateKind,
    subject: Subject,
    html: Html,
    text: Text,
    defaults: z._default(TemplateDefaults, {}),
    description: z.optional(Description),
  })
  .register(z.globalRegistry, { id: 'TemplateCreate' });
export type TemplateCreate = z.infer<typeof TemplateCreate>;

/** PATCH body: any subset; a change of kind, subject, html, text or defaults makes a new content version. */
export const TemplatePatch = z
  .strictObject({
    name: z.optional(TemplateName),
    kind: z.optional(TemplateKind),
    subject: z.optional(Subject),
    html: z.optional(Html),
    text: z.optional(Text),
    defaults: z.optional(TemplateDefaults),
    description: z.optional(z.nullable(Description)),
    version: z.optional(z.int().check(z.gte(1))),
  })
  .check(
    z.refine((patch) => Object.keys(patch).some((key) => key !== 'version'), 'the patch changes nothing'),
  )
  .register(z.globalRegistry, { id: 'TemplatePatch' });
export type TemplatePatch = z.infer<typeof TemplatePatch>;

/** The content fields: a change of any of them is a new immutable version. */
export const contentFields = ['kind', 'subject', 'html', 'text', 'defaults'] as const;

export const TemplateContent = z.object({
  kind: TemplateKind,
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  defaults: z.record(z.string(), z.string()),
});
export type TemplateContent = z.infer<typeof TemplateContent>;

export const Template = z
  .extend(TemplateContent, {
    id: Id,
    name: z.string(),
    description: z.optional(z.string()),
    contentVersion: z.int().register(z.globalRegistry, {
      description: 'The latest content version (1, 2, …): GET /templates/{id}/versions/{contentVersion}',
    }),
    sesTemplateName: z.string().register(z.globalRegistry, {
      description: 'The SES template of the latest content version',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.int().register(z.globalRegistry, {
      description: 'Record version for optimistic locking (If-Match); not the content version',
    }),
  })
  .register(z.globalRegistry, { id: 'Template' });
export type Template = z.infer<typeof Template>;

export const TemplateVersion = z
  .extend(TemplateContent, {
    templateId: Id,
    contentVersion: z.int(),
    sesTemplateName: z.string(),
    createdAt: z.string(),
  })
  .register(z.globalRegistry, { id: 'TemplateVersion' });
export type TemplateVersion = z.infer<typeof TemplateVersion>;

export const TemplatePage = pageOf(Template, 'TemplatePage');

export const TemplateIdPath = z.strictObject({ id: Id });
export const TemplateVersionPath = z.strictObject({
  id: Id,
  version: z.coerce.number().check(z.int(), z.gte(1), z.lte(999_999)),
});
export const TemplateListQuery = PageQuery;

export const TemplatePreviewRequest = z
  .strictObject({
    customerId: z.optional(Id).register(z.globalRegistry, {
      description: 'Render for this customer (needs customers.read)',
    }),
    data: z.optional(z.record(z.string(), z.unknown())).register(z.globalRegistry, {
      description:
        'Sample data (`{ firstName, attributes: { plan }, company: { name } }`), over the customer’s',
    }),
    version: z.optional(z.int().check(z.gte(1))).register(z.globalRegistry, {
      description: 'Content version to render (default: the latest)',
    }),
  })
  .register(z.globalRegistry, { id: 'TemplatePreviewRequest' });
export type TemplatePreviewRequest = z.infer<typeof TemplatePreviewRequest>;

export const TemplatePreview = z
  .object({
    templateId: Id,
    contentVersion: z.int(),
    subject: z.string(),
    html: z.string(),
    text: z.string(),
    missing: z.array(z.string()).register(z.globalRegistry, {
      description: 'Placeholders that had neither a value nor a default (rendered empty)',
    }),
  })
  .register(z.globalRegistry, { id: 'TemplatePreview' });
export type TemplatePreview = z.infer<typeof TemplatePreview>;
