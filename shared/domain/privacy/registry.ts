/**
 * THE erasure registry: every kind of item Relay stores (its `entity` attribute), whether it can
 * hold a customer's personal data, how a purge removes it and where an export puts it. Each
 * capability declares its own item types in its data module (`items` in
 * `shared/capabilities/<name>/data.ts`); the platform's own item types are declared here. The
 * purge (`shared/db/erasure-store.ts`) and the export are driven by this table, and a test scans
 * the source for every `entity` written and fails when one is missing
 * (test/unit/privacy/registry.test.ts).
 */
import { capabilityData } from '#shared/capabilities/data';
import type { RegisteredItem } from './rules.ts';

export type { ErasureRule, RegisteredItem } from './rules.ts';

/** Item types of the platform itself, used by every capability. */
const platformItems: Readonly<Record<string, RegisteredItem>> = {
  idempotency: {
    description: 'Powertools idempotency record (its stored response may echo the customer, 24 h)',
    erasure: { kind: 'filteredQuery' },
  },
  dedupe: {
    description: 'Event consumer dedupe record',
    erasure: { kind: 'none', reason: 'an event id and a status only' },
  },
};

const collect = (): Readonly<Record<string, RegisteredItem>> => {
  const registry: Record<string, RegisteredItem> = { ...platformItems };
  for (const data of capabilityData) {
    for (const [entity, item] of Object.entries(data.items)) {
      if (Object.hasOwn(registry, entity)) throw new Error(`item type ${entity} is registered twice`);
      registry[entity] = item;
    }
  }
  return registry;
};

export const itemRegistry: Readonly<Record<string, RegisteredItem>> = collect();

export const isRegisteredEntity = (entity: string): boolean => Object.hasOwn(itemRegistry, entity);

/** The export section of an item's entity, or undefined when it is not exported. */
export const exportSectionOf = (entity: unknown): string | undefined => {
  if (typeof entity !== 'string' || !isRegisteredEntity(entity)) return undefined;
  return itemRegistry[entity]?.exportSection;
};
