/**
 * Event contracts: every catalog event has a fixture that parses with its schema, names are
 * unique, the rules manifest only references catalog events, docs/events.md is current, and the
 * events the stream publisher really emits (from recorded-shape stream records) parse with their
 * contracts.
 */
import { readFileSync } from 'node:fs';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { catalog, eventByDetailType } from '#events/catalog';
import { EVENTS_DOC_PATH, readFixture, renderEventsDoc, ruleConsumes } from '#events/docs';
import { rules } from '#events/rules';
import { matchesPattern } from '#infra/local/event-pattern';
import { eventsFromRecord } from '#shared/events/from-stream';

const streamRecord = (name: string): DynamoDBRecord =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/streams/${name}.json`, import.meta.url), 'utf8'),
  ) as DynamoDBRecord;

/** String values of a pattern field (exact matchers), across `$or` branches. */
const named = (field: 'source' | 'detail-type'): Array<{ rule: string; value: unknown }> =>
  rules.flatMap((rule) =>
    [rule.pattern, ...(rule.pattern.$or ?? [])].flatMap((pattern) =>
      ((pattern[field] as unknown[] | undefined) ?? []).map((value) => ({ rule: rule.name, value })),
    ),
  );

describe('Contract: domain events', () => {
  describe.each(catalog.map((event) => [event.detailType, event] as const))('Event: %s', (_, event) => {
    it('has a fixture that parses with its detail schema', () => {
      // Prepare
      const fixture = readFixture(event.detailType);

      // Act
      const result = event.detail.safeParse(fixture);

      // Assess
      expect(result.error?.issues ?? []).toEqual([]);
    });

    it('has a fixture whose schemaVersion is the contract version', () => {
      // Act
      const fixture = readFixture(event.detailType) as { schemaVersion: number };

      // Assess
      expect(fixture.schemaVersion).toBe(event.version);
    });
  });

  it('gives every event a unique detail type', () => {
    // Prepare
    const types = catalog.map((event) => event.detailType);

    // Assess
    expect(new Set(types).size).toBe(types.length);
  });

  it('gives every detail schema a unique id (detail type and version)', () => {
    // Prepare
    const ids = catalog.map((event) => `${event.detailType}.v${event.version}`);

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('references only catalog detail types in the rules manifest', () => {
    // Act
    const unknown = named('detail-type').filter(
      ({ value }) => typeof value !== 'string' || !eventByDetailType(value),
    );

    // Assess
    expect(unknown).toEqual([]);
  });

  it('references only catalog sources in the rules manifest', () => {
    // Prepare
    const sources = new Set<unknown>(catalog.map((event) => event.source));

    // Act
    const unknown = named('source').filter(({ value }) => !sources.has(value));

    // Assess
    expect(unknown).toEqual([]);
  });

  it('routes every fixture to the rules that consume its event (pattern matched as EventBridge does)', () => {
    // Prepare
    const pairs = rules.flatMap((rule) =>
      catalog.filter((event) => ruleConsumes(rule, event)).map((event) => ({ rule, event })),
    );

    // Act
    const unmatched = pairs
      .filter(
        ({ rule, event }) =>
          !matchesPattern(rule.pattern, {
            source: event.source,
            'detail-type': event.detailType,
            detail: readFixture(event.detailType),
          }),
      )
      .map(({ rule, event }) => `${rule.name} ✗ ${event.detailType}`);

    // Assess
    expect(pairs.length).toBeGreaterThan(0);
    expect(unmatched).toEqual([]);
  });

  it('does not route a low-severity complaint to flag-serious-complaints', () => {
    // Prepare
    const rule = rules.find((r) => r.name === 'flag-serious-complaints');
    const detail = structuredClone(readFixture('timeline.entry_added')) as { severity: string };
    detail.severity = 'low';

    // Act
    const matched = matchesPattern(rule?.pattern, {
      source: 'relay.timeline',
      'detail-type': 'timeline.entry_added',
      detail,
    });

    // Assess
    expect(matched).toBe(false);
  });

  it('keeps docs/events.md in sync with the catalog', () => {
    // Prepare
    const committed = readFileSync(new URL(`../../${EVENTS_DOC_PATH}`, import.meta.url), 'utf8');

    // Act
    const rendered = renderEventsDoc();

    // Assess
    expect(
      committed === rendered,
      `${EVENTS_DOC_PATH} is stale: run \`npx tsx scripts/generate-event-docs.ts\` (npm run docs:events) and commit it`,
    ).toBe(true);
  });

  describe('Producer: functions/streams/publish-domain-events.ts', () => {
    it.each([
      ['customer-insert', ['customer.created']],
      ['customer-modify', ['customer.updated']],
      ['customer-remove', ['customer.purged']],
      ['customer-bin', ['customer.deleted']],
      ['customer-restore', ['customer.restored']],
      ['customer-tombstone-insert', ['customer.purge_requested']],
      ['customer-stats-modify', ['customer.stats_changed']],
      ['company-insert', ['company.created']],
      ['company-modify', ['company.updated']],
      ['company-remove', ['company.purged']],
      ['company-bin', ['company.deleted']],
      ['company-restore', ['company.restored']],
      ['timeline-complaint-insert', ['timeline.entry_added']],
      ['timeline-lifecycle-insert', ['timeline.entry_added', 'customer.lifecycle_changed']],
      ['consent-state-modify', ['customer.subscriptions_changed']],
    ])('emits events from %s that parse with their contracts', (name, detailTypes) => {
      // Prepare
      const record = streamRecord(name);

      // Act
      const events = eventsFromRecord(record);

      // Assess
      expect(events.map((event) => event.contract.detailType)).toEqual(detailTypes);
      for (const event of events) {
        const contract = eventByDetailType(event.contract.detailType);
        // The wire form (JSON, as PutEvents carries it) is what consumers parse.
        const wire = JSON.parse(JSON.stringify(event.detail)) as unknown;
        expect(contract?.detail.safeParse(wire).error?.issues ?? []).toEqual([]);
      }
    });

    it('emits, for every catalog event, one that matches its fixture’s shape', () => {
      // Prepare
      const emitted = [
        'customer-insert',
        'customer-modify',
        'customer-remove',
        'customer-bin',
        'customer-restore',
        'customer-tombstone-insert',
        'customer-stats-modify',
        'company-insert',
        'company-modify',
        'company-remove',
        'company-bin',
        'company-restore',
        'timeline-complaint-insert',
        'timeline-lifecycle-insert',
        'consent-state-modify',
      ].flatMap((name) => eventsFromRecord(streamRecord(name)));

      // Act
      // The first event of each type (the complaint's for timeline.entry_added: its routing facts).
      const keysByType = new Map<string, string[]>();
      for (const event of emitted) {
        if (!keysByType.has(event.contract.detailType))
          keysByType.set(event.contract.detailType, Object.keys(event.detail).sort());
      }

      // Assess
      for (const event of catalog) {
        const fixture = readFixture(event.detailType) as Record<string, unknown>;
        expect(keysByType.get(event.detailType)).toEqual(Object.keys(fixture).sort());
      }
    });
  });
});
