/**
 * The stream publisher's event source mapping, free of CDK so the local cloud runs it as deployed
 * (`infra/constructs/event-backbone.ts` builds the `AWS::Lambda::EventSourceMapping` from this;
 * `infra/local/streams.ts` applies the same filter criteria and retry count to DynamoDB Local's
 * stream).
 *
 * The filters follow Lambda event filtering for DynamoDB streams: each pattern is matched against
 * the stream record as the function receives it (`eventName`, `dynamodb.NewImage.<attr>.S`, …) in
 * EventBridge's pattern language; the filters are OR'ed (at most 5 per mapping by default) and a
 * record that matches none is dropped, never delivered.
 */
import { auditedEntities } from '#shared/domain/audit/mapping';
import { publishedEntities } from '#shared/events/from-stream';

/** Handler of the stream publisher. */
export const streamPublisherEntry = 'functions/streams/publish-domain-events.ts';

/**
 * The item types the ONE stream reader needs: those whose changes are domain events and those
 * the audit log records (docs/adr/0009-audit-log.md).
 */
export const streamEntities: readonly string[] = [...new Set([...publishedEntities, ...auditedEntities])];

/** A Lambda filter pattern (the JSON object a `Filters[].Pattern` string holds). */
export type StreamFilterPattern = Readonly<Record<string, unknown>>;

/** The `FilterCriteria` of an event source mapping, as CloudFormation renders it. */
export interface FilterCriteria {
  readonly Filters: ReadonlyArray<{ readonly Pattern: string }>;
}

/**
 * The stream records the publisher receives: inserts and updates by the new image, deletes by the
 * old one. Written in the JSON `FilterRule` renders (`FilterRule.or(...xs)` is `xs`,
 * `FilterRule.isEqual(x)` is `[x]`).
 */
export const streamFilterPatterns: readonly StreamFilterPattern[] = [
  { dynamodb: { NewImage: { entity: { S: [...streamEntities] } } } },
  { eventName: ['REMOVE'], dynamodb: { OldImage: { entity: { S: [...streamEntities] } } } },
];

/** The `FilterCriteria` of `patterns` (what `FilterCriteria.filter` + the mapping synthesize). */
export const filterCriteriaOf = (patterns: readonly StreamFilterPattern[]): FilterCriteria => ({
  Filters: patterns.map((pattern) => ({ Pattern: JSON.stringify(pattern) })),
});

/** The publisher's event source mapping settings shared by CDK and the local stream runner. */
export const streamPublisherSource = {
  entry: streamPublisherEntry,
  /** Records per invocation. */
  batchSize: 100,
  /** Retries of a failing batch before its records go to the on-failure destination. */
  retryAttempts: 10,
  filterCriteria: filterCriteriaOf(streamFilterPatterns),
} as const;
