/**
 * Lambda event filtering of the stream publisher's mapping, applied locally to the deployed
 * `FilterCriteria` (infra/config/stream-source.ts): the filters are OR'ed over the stream record
 * as the function receives it, a record matching none is dropped, and criteria Lambda refuses
 * (more than 5 filters, a pattern that is not a JSON object) are refused.
 */
import { readFileSync } from 'node:fs';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { filterCriteriaOf, streamEntities, streamPublisherSource } from '#infra/config/stream-source';
import { InvalidEventPatternError } from '#infra/local/event-pattern';
import { compileFilterCriteria, MAX_FILTERS_PER_MAPPING } from '#infra/local/stream-filter';

const fixture = (name: string): DynamoDBRecord =>
  JSON.parse(readFileSync(new URL(`../../fixtures/streams/${name}.json`, import.meta.url), 'utf8'));

/** The record with its `entity` attribute (in both images) replaced. */
const withEntity = (record: DynamoDBRecord, entity: string): DynamoDBRecord => {
  const copy = structuredClone(record);
  for (const image of [copy.dynamodb?.NewImage, copy.dynamodb?.OldImage]) {
    if (image?.entity) image.entity = { S: entity };
  }
  return copy;
};

describe('stream filter criteria (Lambda event filtering, locally)', () => {
  const publisherFilter = compileFilterCriteria(streamPublisherSource.filterCriteria);

  it.each([
    'customer-insert',
    'customer-modify',
    'customer-remove',
    'company-insert',
    'timeline-complaint-insert',
  ])('delivers %s, a change of a streamed entity', (name) => {
    // Act
    const delivered = publisherFilter(fixture(name));

    // Assess
    expect(delivered).toBe(true);
  });

  it.each([
    ['INSERT', 'customer-insert'],
    ['MODIFY', 'customer-modify'],
    ['REMOVE', 'customer-remove'],
  ])('drops a %s of an item type nobody reads', (_eventName, name) => {
    // Prepare
    const record = withEntity(fixture(name), 'uniqueEmailGuard');
    expect(streamEntities).not.toContain('uniqueEmailGuard');

    // Act
    const delivered = publisherFilter(record);

    // Assess
    expect(delivered).toBe(false);
  });

  it('matches a REMOVE by its old image only (the second filter), not a MODIFY without a new image', () => {
    // Prepare: a MODIFY whose only image is the old one matches neither filter.
    const remove = fixture('customer-remove');
    const modify = { ...structuredClone(remove), eventName: 'MODIFY' as const };

    // Act
    const results = [publisherFilter(remove), publisherFilter(modify)];

    // Assess
    expect(results).toEqual([true, false]);
  });

  it('ORs the filters and delivers everything without criteria', () => {
    // Prepare
    const record = fixture('customer-insert');
    const either = compileFilterCriteria(
      filterCriteriaOf([{ eventName: ['REMOVE'] }, { dynamodb: { Keys: { sk: { S: ['PROFILE'] } } } }]),
    );
    const neither = compileFilterCriteria(filterCriteriaOf([{ eventName: ['REMOVE'] }]));

    // Act
    const results = [either(record), neither(record), compileFilterCriteria(undefined)(record)];

    // Assess
    expect(results).toEqual([true, false, true]);
  });

  it(`refuses more than ${MAX_FILTERS_PER_MAPPING} filters and patterns that are not JSON objects`, () => {
    // Prepare
    const six = filterCriteriaOf(Array.from({ length: 6 }, (_, i) => ({ eventName: [`E${i}`] })));

    // Act
    const attempts = [
      () => compileFilterCriteria(six),
      () => compileFilterCriteria({ Filters: [{ Pattern: '{"eventName": ' }] }),
      () => compileFilterCriteria({ Filters: [{ Pattern: '["INSERT"]' }] }),
      () => compileFilterCriteria(filterCriteriaOf([{ eventName: 'INSERT' }])),
    ];

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow(InvalidEventPatternError);
    expect(() =>
      compileFilterCriteria(filterCriteriaOf(six.Filters.slice(0, 5).map((f) => JSON.parse(f.Pattern)))),
    ).not.toThrow();
  });
});
