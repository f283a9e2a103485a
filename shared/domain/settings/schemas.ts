/** Per-deployment custom attribute definitions for customers. */
import * as z from 'zod/mini';

export const attributeTypes = ['string', 'number', 'boolean', 'date', 'enum'] as const;

export const AttributeDefinition = z
  .strictObject({
    name: z
      .string()
      .check(
        z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'attribute names are identifiers of up to 64 characters'),
      ),
    type: z.enum(attributeTypes),
    label: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
    required: z._default(z.boolean(), false),
    options: z.optional(
      z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.minLength(1), z.maxLength(200)),
    ),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
  })
  .check(
    z.superRefine((def, ctx) => {
      if (def.type === 'enum' && !def.options) {
        ctx.addIssue({ code: 'custom', path: ['options'], message: 'enum attributes need options' });
      }
      if (def.type !== 'enum' && def.options) {
        ctx.addIssue({ code: 'custom', path: ['options'], message: 'only enum attributes take options' });
      }
      if (
        (def.min !== undefined || def.max !== undefined) &&
        def.type !== 'number' &&
        def.type !== 'string'
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['min'],
          message: 'min/max apply to number values and string lengths',
        });
      }
    }),
  );
export type AttributeDefinition = z.infer<typeof AttributeDefinition>;

export const AttributeDefinitions = z
  .strictObject({
    definitions: z.array(AttributeDefinition).check(
      z.maxLength(200),
      z.refine(
        (defs) => new Set(defs.map((d) => d.name)).size === defs.length,
        'attribute names must be unique',
      ),
    ),
    version: z.optional(z.int().check(z.gte(0))),
  })
  .register(z.globalRegistry, { id: 'AttributeDefinitions' });
export type AttributeDefinitions = z.infer<typeof AttributeDefinitions>;

export const AttributeDefinitionsView = z
  .object({
    definitions: z.array(AttributeDefinition),
    version: z.int(),
    updatedAt: z.nullable(z.string()),
  })
  .register(z.globalRegistry, { id: 'AttributeDefinitionsView' });
export type AttributeDefinitionsView = z.infer<typeof AttributeDefinitionsView>;
