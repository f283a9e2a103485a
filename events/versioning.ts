/**
 * The versioning rule for event details, enforced by test/contract/event-versions.test.ts against
 * the committed snapshot of every published (detailType, version) in `events/schemas/`:
 *
 * - adding an OPTIONAL field is compatible: the same version;
 * - anything else (removing or renaming a field, changing a type or an enum, making a field
 *   required) is a new `version` of the detail type. The new version is published beside the old
 *   one for a deprecation window announced in docs/events.md; snapshots are never rewritten.
 *
 * Entry types, channels and other open vocabularies are plain strings in event schemas, so adding
 * a timeline entry type cannot change a published schema.
 */
import * as z from 'zod/mini';
import type { EventContract } from '#events/contract';

export const SCHEMAS_DIR = 'events/schemas';

export const snapshotFileOf = (event: Pick<EventContract, 'detailType' | 'version'>): string =>
  `${SCHEMAS_DIR}/${event.detailType}.v${event.version}.json`;

export type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, unknown>;
  required?: string[];
};

export const schemaOf = (event: EventContract): JsonSchema =>
  z.toJSONSchema(event.detail, { unrepresentable: 'any' }) as JsonSchema;

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

/**
 * The detail's object schema: zod writes a schema with an id as `{ $ref: '#/$defs/<id>', $defs }`,
 * so the fields sit under the referenced definition, not at the root.
 */
const objectSchemaOf = (schema: JsonSchema): JsonSchema => {
  const { $ref, $defs, ...root } = schema as JsonSchema & {
    $ref?: unknown;
    $defs?: Record<string, JsonSchema>;
  };
  const id =
    typeof $ref === 'string' && $ref.startsWith('#/$defs/') ? $ref.slice('#/$defs/'.length) : undefined;
  const definition = id === undefined ? undefined : $defs?.[id];
  if (!definition) return schema;
  const others = Object.fromEntries(Object.entries($defs ?? {}).filter(([key]) => key !== id));
  return { ...root, ...(Object.keys(others).length > 0 ? { $defs: others } : {}), ...definition };
};

/** Why `current` is not a compatible evolution of the published `snapshot` (empty when it is). */
export const incompatibilities = (snapshot: JsonSchema, current: JsonSchema): string[] => {
  const problems: string[] = [];
  const { properties: before = {}, required: requiredBefore = [], ...restBefore } = objectSchemaOf(snapshot);
  const { properties: after = {}, required: requiredAfter = [], ...restAfter } = objectSchemaOf(current);
  for (const [field, schema] of Object.entries(before)) {
    if (!(field in after)) problems.push(`field "${field}" was removed`);
    else if (canonical(schema) !== canonical(after[field]))
      problems.push(`field "${field}" changed its schema`);
  }
  for (const field of requiredAfter) {
    if (!requiredBefore.includes(field)) problems.push(`field "${field}" is required now`);
  }
  for (const field of requiredBefore) {
    if (!requiredAfter.includes(field)) problems.push(`field "${field}" is optional now`);
  }
  if (canonical(restBefore) !== canonical(restAfter)) problems.push('the schema outside its fields changed');
  return problems;
};
