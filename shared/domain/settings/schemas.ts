/** Per-deployment custom attribute definitions for customers. */
import * as z from 'zod';

export const attributeTypes = ['string', 'number', 'boolean', 'date', 'enum'] as const;

export const AttributeDefinition = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'attribute names are identifiers of up to 64 characters'),
    type: z.enum(attributeTypes),
    label: z.string().trim().min(1).max(100).optional(),
    required: z.boolean().default(false),
    options: z.array(z.string().min(1).max(100)).min(1).max(200).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .superRefine((def, ctx) => {
    if (def.type === 'enum' && !def.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'enum attributes need options' });
    }
    if (def.type !== 'enum' && def.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only enum attributes take options' });
    }
    if ((def.min !== undefined || def.max !== undefined) && def.type !== 'number' && def.type !== 'string') {
      ctx.addIssue({
        code: 'custom',
        path: ['min'],
        message: 'min/max apply to number values and string lengths',
      });
    }
  });
export type AttributeDefinition = z.infer<typeof AttributeDefinition>;

export const AttributeDefinitions = z
  .strictObject({
    definitions: z
      .array(AttributeDefinition)
      .max(200)
      .refine(
        (defs) => new Set(defs.map((d) => d.name)).size === defs.length,
        'attribute names must be unique',
      ),
    version: z.number().int().min(0).optional(),
  })
  .meta({ id: 'AttributeDefinitions' });
export type AttributeDefinitions = z.infer<typeof AttributeDefinitions>;

export const AttributeDefinitionsView = z
  .object({
    definitions: z.array(AttributeDefinition),
    version: z.number().int(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'AttributeDefinitionsView' });
export type AttributeDefinitionsView = z.infer<typeof AttributeDefinitionsView>;
