/**
 * Every domain event Relay emits, collected from the capabilities' data modules
 * (`shared/capabilities/<name>/data.ts`). `docs/events.md` is generated from this list
 * (`npm run docs:events`; a test fails when the file is stale).
 */
import { capabilityData } from '#shared/capabilities/data';

/** The union of every capability's event contracts (literal detail types kept). */
export type CatalogEvent = (typeof capabilityData)[number]['events'][number];

export const catalog: readonly CatalogEvent[] = capabilityData.flatMap(
  (data): readonly CatalogEvent[] => data.events,
);
export type DetailType = CatalogEvent['detailType'];

export const eventByDetailType = (detailType: string): CatalogEvent | undefined =>
  catalog.find((event) => event.detailType === detailType);
