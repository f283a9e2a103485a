/**
 * How a domain event is declared: one module per event under `events/<area>/`, imported by the
 * producer (the stream publisher), the consumers, the rules manifest, CDK and the docs generator.
 *
 * Every detail carries the same metadata: `eventId` (derived deterministically from the stream
 * record, so a replay carries the same id and consumers can drop it), `schemaVersion` and
 * `occurredAt`; the event's own fields sit beside them, so rules can match e.g. `detail.type`.
 */
import '#shared/zod-locale';
import * as z from 'zod/mini';

export const sources = ['relay.customers', 'relay.companies', 'relay.timeline', 'relay.webhooks'] as const;
export type EventSource = (typeof sources)[number];

export const EventId = z
  .string()
  .check(z.regex(/^[0-9a-f]{32}$/, 'event ids are 32 lower-case hex characters'))
  .register(z.globalRegistry, { description: 'Deterministic id: the same change always yields the same id' });

export interface EventDefinition<T extends string, S extends z.core.$ZodShape> {
  /** e.g. `customer.created` */
  detailType: T;
  source: EventSource;
  /** Schema version of the detail; a breaking change adds a new version. */
  version: number;
  description: string;
  /** What emits it. */
  producer: string;
  /** The event's own fields (metadata is added). */
  data: S;
}

export const defineEvent = <const T extends string, S extends z.core.$ZodShape>(
  definition: EventDefinition<T, S>,
) => {
  const detail = z
    .object({
      eventId: EventId,
      schemaVersion: z.literal(definition.version),
      occurredAt: z.iso.datetime({ offset: true }),
      ...definition.data,
    })
    .register(z.globalRegistry, { id: `${definition.detailType}.v${definition.version}` });
  return { ...definition, detail };
};

export type EventContract = ReturnType<typeof defineEvent>;
