/**
 * Lambda event filtering of a DynamoDB stream event source mapping, applied locally to the
 * `FilterCriteria` the mapping deploys (`infra/config/stream-source.ts`): each `Pattern` is a JSON
 * pattern in EventBridge's language (matched with `infra/local/event-pattern.ts`) against the
 * stream record as the function receives it (`eventName`, `dynamodb.Keys` / `NewImage` /
 * `OldImage` in DynamoDB JSON, …). The filters are OR'ed; a record that matches none is dropped
 * before batching (never delivered, not retried); no filters deliver everything. Like
 * CreateEventSourceMapping, more than 5 filters (the default quota) or a pattern that is not a
 * JSON object is refused.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { FilterCriteria } from '#infra/config/stream-source';
import { compilePattern, InvalidEventPatternError } from '#infra/local/event-pattern';

/** Filters per event source mapping (the default Lambda quota; raisable to 10 on request). */
export const MAX_FILTERS_PER_MAPPING = 5;

export type StreamRecordFilter = (record: DynamoDBRecord) => boolean;

export const compileFilterCriteria = (
  criteria: FilterCriteria | undefined,
  maxFilters = MAX_FILTERS_PER_MAPPING,
): StreamRecordFilter => {
  const filters = criteria?.Filters ?? [];
  if (filters.length > maxFilters) {
    throw new InvalidEventPatternError(
      `FilterCriteria has ${filters.length} filters; an event source mapping allows at most ${maxFilters}`,
    );
  }
  if (filters.length === 0) return () => true;
  const predicates = filters.map(({ Pattern }, index) => {
    let pattern: unknown;
    try {
      pattern = JSON.parse(Pattern);
    } catch {
      throw new InvalidEventPatternError(`Filters[${index}].Pattern is not valid JSON`);
    }
    if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
      throw new InvalidEventPatternError(`Filters[${index}].Pattern must be a JSON object`);
    }
    return compilePattern(pattern);
  });
  return (record) => predicates.some((matches) => matches(record));
};
