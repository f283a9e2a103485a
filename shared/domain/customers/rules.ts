/** Pure customer rules: lifecycle transitions, contact normalisation, custom attribute checks. */

import { type LifecycleStage, lifecycleStages } from '#shared/domain/customers/schemas';
import type { AttributeDefinition } from '#shared/domain/settings/schemas';
import { ConflictError, type FieldError, ValidationError } from '#shared/errors';

/**
 * Allowed stage changes: forward along subscriber → lead → prospect → customer (skipping is fine),
 * customer → churned, and reactivation churned → lead | prospect | customer. Staying put is a no-op.
 */
export const canTransition = (from: LifecycleStage, to: LifecycleStage): boolean => {
  if (from === to) return true;
  if (to === 'churned') return from === 'customer';
  if (from === 'churned') return to !== 'subscriber';
  return lifecycleStages.indexOf(to) > lifecycleStages.indexOf(from);
};

export const assertTransition = (from: LifecycleStage, to: LifecycleStage): void => {
  if (!canTransition(from, to)) {
    throw new ConflictError(`A customer cannot move from lifecycle stage "${from}" to "${to}".`, {
      slug: 'invalid-lifecycle-transition',
      title: 'Lifecycle transition not allowed',
      errors: [
        { path: 'body.lifecycleStage', message: `not allowed from ${from}`, code: 'invalid_transition' },
      ],
    });
  }
};

interface ContactEntry {
  primary?: boolean | undefined;
}

/** Exactly one primary entry when there is any: the flagged one, else the first. */
export const withPrimary = <T extends ContactEntry>(entries: T[]): Array<T & { primary: boolean }> => {
  const index = Math.max(
    0,
    entries.findIndex((e) => e.primary === true),
  );
  return entries.map((entry, i) => ({ ...entry, primary: i === index }));
};

export const normalizeEmails = <T extends { address: string; primary?: boolean | undefined }>(emails: T[]) =>
  withPrimary(emails.map((e) => ({ ...e, address: e.address.trim().toLowerCase() })));

type AttributeValue = string | number | boolean | null;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const checkValue = (def: AttributeDefinition, value: Exclude<AttributeValue, null>): string | undefined => {
  switch (def.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (def.min !== undefined && value.length < def.min) return `must be at least ${def.min} characters`;
      if (def.max !== undefined && value.length > def.max) return `must be at most ${def.max} characters`;
      return undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (def.min !== undefined && value < def.min) return `must be ≥ ${def.min}`;
      if (def.max !== undefined && value > def.max) return `must be ≤ ${def.max}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      // Round-trip through Date: rejects days that do not exist (2026-02-30), which Date.parse rolls over.
      return typeof value === 'string' &&
        ISO_DATE.test(value) &&
        !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
        new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value
        ? undefined
        : 'must be a date (YYYY-MM-DD)';
    case 'enum':
      return typeof value === 'string' && def.options?.includes(value)
        ? undefined
        : `must be one of: ${def.options?.join(', ')}`;
  }
};

/**
 * Merges an attribute change into the current values and validates the result against the
 * definitions: unknown names, wrong types and missing required attributes are field errors.
 * A `null` value removes the attribute.
 */
export const applyAttributes = (
  definitions: readonly AttributeDefinition[],
  current: Record<string, AttributeValue>,
  change: Record<string, AttributeValue> | undefined,
): Record<string, AttributeValue> => {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const errors: FieldError[] = [];
  const next: Record<string, AttributeValue> = { ...current };
  for (const [name, value] of Object.entries(change ?? {})) {
    const def = byName.get(name);
    if (!def) {
      errors.push({
        path: `body.attributes.${name}`,
        message: 'unknown attribute (define it in settings first)',
        code: 'unknown_attribute',
      });
      continue;
    }
    if (value === null) {
      delete next[name];
      continue;
    }
    const problem = checkValue(def, value);
    if (problem)
      errors.push({ path: `body.attributes.${name}`, message: problem, code: 'invalid_attribute' });
    else next[name] = value;
  }
  for (const def of definitions) {
    if (
      def.required &&
      // Own properties only: a required attribute named `constructor` must not find Object's.
      !Object.hasOwn(next, def.name) &&
      !errors.some((e) => e.path === `body.attributes.${def.name}`)
    ) {
      errors.push({
        path: `body.attributes.${def.name}`,
        message: 'required attribute is missing',
        code: 'required',
      });
    }
  }
  if (errors.length > 0) throw new ValidationError('Some custom attributes are not valid.', { errors });
  return next;
};
