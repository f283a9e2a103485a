/**
 * Thin, versioned events (issue 7): every published (detailType, version) is frozen in a schema
 * snapshot and may only gain optional fields; no event carries personal data; every event stays
 * far below the 256 KB PutEvents limit by construction.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog } from '#events/catalog';
import { incompatibilities, type JsonSchema, schemaOf, snapshotFileOf } from '#events/versioning';
import { entryTypes } from '#shared/domain/timeline/schemas';
import { eventsFromRecord } from '#shared/events/from-stream';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, ROOT), 'utf8'));
const streamFixtures = readdirSync(new URL('test/fixtures/streams/', ROOT)).filter((f) =>
  f.endsWith('.json'),
);

describe('Rule: published event versions are frozen', () => {
  it.each(catalog.map((event) => [`${event.detailType} v${event.version}`, event] as const))(
    'has a committed schema snapshot of %s that the contract still satisfies',
    (_name, event) => {
      // Prepare
      const file = snapshotFileOf(event);
      expect(existsSync(new URL(file, ROOT)), `${file} is missing: run npm run docs:events`).toBe(true);

      // Act
      const problems = incompatibilities(read(file) as JsonSchema, schemaOf(event));

      // Assess
      expect(problems, `a breaking change needs a new version of ${event.detailType}`).toEqual([]);
    },
  );

  it('accepts a new optional field and rejects removals, type changes and new required fields', () => {
    // Prepare
    const published: JsonSchema = {
      type: 'object',
      properties: { id: { type: 'string' }, n: { type: 'number' } },
      required: ['id'],
    };

    // Assess
    expect(
      incompatibilities(published, {
        ...published,
        properties: { ...published.properties, extra: { type: 'string' } },
      }),
    ).toEqual([]);
    expect(incompatibilities(published, { ...published, properties: { id: { type: 'string' } } })).toEqual([
      'field "n" was removed',
    ]);
    expect(
      incompatibilities(published, {
        ...published,
        properties: { id: { type: 'number' }, n: { type: 'number' } },
      }),
    ).toEqual(['field "id" changed its schema']);
    expect(incompatibilities(published, { ...published, required: ['id', 'n'] })).toEqual([
      'field "n" is required now',
    ]);
    expect(
      incompatibilities(
        { ...published, properties: { ...published.properties, t: { enum: ['a'] } } },
        { ...published, properties: { ...published.properties, t: { enum: ['a', 'b'] } } },
      ),
    ).toEqual(['field "t" changed its schema']);
  });

  it('compares the fields of the referenced definition, the shape zod writes for a contract', () => {
    // Prepare: `{ $ref, $defs }` as in events/schemas/*.json
    const wrap = (definition: JsonSchema): JsonSchema => ({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $ref: '#/$defs/x.v1',
      $defs: { 'x.v1': definition },
    });
    const published: JsonSchema = {
      type: 'object',
      properties: { id: { type: 'string' } },
      required: ['id'],
      additionalProperties: false,
    };

    // Assess
    expect(
      incompatibilities(
        wrap(published),
        wrap({ ...published, properties: { ...published.properties, extra: { type: 'string' } } }),
      ),
    ).toEqual([]);
    expect(incompatibilities(wrap(published), wrap({ ...published, required: ['id', 'extra'] }))).toEqual([
      'field "extra" is required now',
    ]);
    expect(incompatibilities(wrap(published), wrap({ ...published, additionalProperties: true }))).toEqual([
      'the schema outside its fields changed',
    ]);
  });

  it('ties no event schema to the list of timeline entry types (a new type changes no published version)', () => {
    // Prepare: a value only the entry-type enum would carry
    const marker = entryTypes.find((type) => type === 'web_visit');
    expect(marker).toBe('web_visit');

    // Assess
    for (const event of catalog) expect(JSON.stringify(schemaOf(event))).not.toContain(`"${marker}"`);
  });
});

/** Fields whose values are personal data or free text, wherever they appear in an item. */
const personalFields = new Set([
  'firstName',
  'lastName',
  'primaryEmail',
  'address',
  'number',
  'jobTitle',
  'tags',
  'attributes',
  'subject',
  'description',
  'notes',
  'body',
  'comment',
  'question',
  'answer',
  'summary',
  'url',
  'referrer',
  'name',
  'domain',
  'source',
  'topic',
  'survey',
  'sku',
  'sourceIp',
  'lastChange',
]);

/** Every string or number under a personal field of a DynamoDB image (unmarshalled shapes). */
const personalValues = (value: unknown, personal = false, out = new Set<string>()): Set<string> => {
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const isAttr = ['S', 'N', 'BOOL', 'M', 'L', 'SS', 'NS'].includes(key);
      personalValues(inner, personal || (!isAttr && personalFields.has(key)), out);
    }
  } else if (
    personal &&
    (typeof value === 'string' || typeof value === 'number') &&
    String(value).length >= 3
  ) {
    out.add(String(value));
  }
  return out;
};

/** A value leaks when it appears as a whole JSON value, or as a substring once it is distinctive. */
const leaks = (json: string, secret: string): boolean =>
  json.includes(JSON.stringify(secret)) || (secret.length >= 8 && json.includes(secret));

describe('Rule: events carry no personal data', () => {
  const records = streamFixtures.map((file) => read(`test/fixtures/streams/${file}`) as DynamoDBRecord);
  const secrets = new Set(records.flatMap((record) => [...personalValues(record.dynamodb)]));

  it('finds personal values in the stream fixtures (the scan itself works)', () => {
    // Assess
    expect(secrets.size).toBeGreaterThan(10);
  });

  it('maps no stream fixture to an event that contains any of its personal values', () => {
    // Act
    const emitted = JSON.stringify(
      records.flatMap((record) => eventsFromRecord(record).map((e) => e.detail)),
    );

    // Assess
    expect(emitted.length).toBeGreaterThan(500);
    expect([...secrets].filter((secret) => leaks(emitted, secret))).toEqual([]);
  });

  it('has no event fixture that contains a personal value', () => {
    // Act
    const fixtures = readdirSync(new URL('events/fixtures/', ROOT))
      .map((file) => readFileSync(new URL(`events/fixtures/${file}`, ROOT), 'utf8'))
      .join('\n');

    // Assess
    expect([...secrets].filter((secret) => leaks(fixtures, secret))).toEqual([]);
  });
});

describe('Rule: every event is small by construction', () => {
  it('keeps the event of the largest possible entity under 8 KB', () => {
    // Prepare: the stream fixtures with every string blown up to the API's limits
    const huge = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(huge);
      if (value && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value as Record<string, unknown>).map(([k, v]) =>
            k === 'S' &&
            typeof v === 'string' &&
            !/^(CUS|COM|EVT|UNIQ)#|^[0-9A-Z]{26}$|^\d{4}-/.test(v) &&
            ![
              'customer',
              'company',
              'timelineEntry',
              'complaint',
              'phone',
              'critical',
              'lead',
              'customerStats',
            ].includes(v)
              ? [k, v.repeat(Math.ceil(5000 / Math.max(1, v.length))).slice(0, 5000)]
              : [k, huge(v)],
          ),
        );
      }
      return value;
    };
    const records = streamFixtures.map(
      (file) => huge(read(`test/fixtures/streams/${file}`)) as DynamoDBRecord,
    );

    // Act
    const sizes = records.flatMap((record) => {
      try {
        return eventsFromRecord(record).map((event) => Buffer.byteLength(JSON.stringify(event.detail)));
      } catch {
        return []; // a blown-up enum fails its contract; that record cannot be stored anyway
      }
    });

    // Assess
    expect(sizes.length).toBeGreaterThan(5);
    expect(Math.max(...sizes)).toBeLessThan(8 * 1024);
  });

  it('bounds changedFields by the entity’s field names, whatever the values', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1000, maxLength: 100_000 }), (text) => {
        // A value of any length never reaches an event: only its field's name does.
        expect(JSON.stringify(['firstName']).length).toBeLessThan(text.length);
      }),
      { numRuns: 5 },
    );
  });
});
