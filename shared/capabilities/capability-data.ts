/**
 * What a capability's DATA means to the rest of Relay, declared beside its routes in
 * `shared/capabilities/<name>/data.ts`: the domain events it publishes, how the stream records of
 * its item types map to them, and how each item type it writes is erased and exported. Unlike the
 * descriptor (`index.ts`, which carries the route manifest), a data module is light enough for
 * runtime code: the stream publisher, the purge, the export and the webhook dispatcher read the
 * collected list (`shared/capabilities/data.ts`).
 */
import type { EventContract } from '#events/contract';
import type { RegisteredItem } from '#shared/domain/privacy/rules';
import type { StreamMapper } from '#shared/events/stream-mapping';

export interface CapabilityData<
  N extends string = string,
  E extends readonly EventContract[] = readonly EventContract[],
> {
  /** The capability's name (as in its descriptor). */
  name: N;
  /** The domain events its data changes produce (contracts in `events/<area>/`). */
  events: E;
  /**
   * Stream mapper per item type (`entity`) whose changes are domain events. The stream filter in
   * CDK is built from these keys, so other item types never even invoke the publisher.
   */
  streamMappers: Readonly<Record<string, StreamMapper>>;
  /** Every item type (`entity`) it writes, with its erasure rule and export section. */
  items: Readonly<Record<string, RegisteredItem>>;
}

/** Declares a capability's data module, keeping its literal name and event types. */
export const defineCapabilityData = <const N extends string, const E extends readonly EventContract[]>(
  data: CapabilityData<N, E>,
): CapabilityData<N, E> => data;
