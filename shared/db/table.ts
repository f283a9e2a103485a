/**
 * The one table definition. CDK (`infra/stacks/data-stack.ts`) and the local cloud
 * (`infra/local/dynamodb.ts`, integration tests) both build the table from this object, so the
 * key schema, indexes, stream and TTL settings cannot drift between the two worlds.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Attribute DynamoDB's TTL deletes items by (epoch seconds). */
  ttlAttribute: 'expiresAt',
  streamViewType: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [
    /** gsi1: lookups by a natural key and global type feeds (see docs/access-patterns.md). */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** gsi2: sharded "all items of a type" lists and per-customer timeline by type. */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];

/** Physical table name for a stage: `relay-<stage>`. */
export const tableNameFor = (stage: string): string => `relay-${stage}`;

/** Every key attribute is a string; the table holds nothing else in its key schema. */
export const keyAttributes = [
  tableDefinition.partitionKey,
  tableDefinition.sortKey,
  ...tableDefinition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
] as const;
