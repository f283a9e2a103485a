/**
 * The contract of DynamoDB Query as the pagination code relies on it, run against DynamoDB Local
 * (`test/integration/fake-query-contract.test.ts`) and against the model the unit tests use
 * (`test/unit/support/fake-query.ts`, in `test/unit/db/fake-query-contract.test.ts`): byte order
 * of sort keys both ways, `Limit`, `ExclusiveStartKey`, `LastEvaluatedKey` whenever a page is
 * filled (even with nothing after it) and its exact attributes on a GSI, and the error for a start
 * key of another partition. The 1 MB page limit is not run here (it needs megabytes of items).
 */
import type { QueryCommandInput, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';

export type Item = Record<string, string>;

export interface ContractIndex {
  /** `undefined`: the table itself. */
  indexName: 'gsi2' | undefined;
  partitionKey: string;
  sortKey: string;
  keyAttributes: string[];
}

/** Stores `items`, then answers Query inputs on them (table name and index name are added). */
export type QueryRunner = (
  items: readonly Item[],
  index: ContractIndex,
) => Promise<(input: QueryCommandInput) => Promise<Partial<QueryCommandOutput>>>;

export const TABLE_INDEX: ContractIndex = {
  indexName: undefined,
  partitionKey: 'pk',
  sortKey: 'sk',
  keyAttributes: ['pk', 'sk'],
};
export const GSI2: ContractIndex = {
  indexName: 'gsi2',
  partitionKey: 'gsi2pk',
  sortKey: 'gsi2sk',
  keyAttributes: ['gsi2pk', 'gsi2sk', 'pk', 'sk'],
};

let run = 0;
const partitionName = (what: string): string => `QC#${what}#${Date.now()}#${++run}`;

/** Sort keys whose byte order differs from a case-insensitive or locale order. */
const SORT_KEYS = ['EVT#a', 'EVT#B', 'EVT#~', 'EVT#0', 'EVT#_', 'EVT#Z9', 'EVT#z', 'EVT#A'];
const byteOrder = (keys: string[]): string[] =>
  [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

const itemsOn = (index: ContractIndex, partition: string, keys: string[]): Item[] =>
  keys.map(
    (key, i): Item =>
      index.indexName === undefined
        ? { pk: partition, sk: key, n: String(i) }
        : { pk: `${partition}#item${i}`, sk: 'PROFILE', gsi2pk: partition, gsi2sk: key, n: String(i) },
  );

const queryOf = (index: ContractIndex, partition: string, extra: Partial<QueryCommandInput> = {}) =>
  ({
    TableName: 'contract',
    ...(index.indexName ? { IndexName: index.indexName } : {}),
    KeyConditionExpression: `${index.partitionKey} = :pk`,
    ExpressionAttributeValues: { ':pk': partition },
    ...extra,
  }) as QueryCommandInput;

export const describeQueryContract = (name: string, runner: QueryRunner): void => {
  describe.each([
    ['the table', TABLE_INDEX],
    ['gsi2', GSI2],
  ])(`Query contract: ${name} on %s`, (_where, index) => {
    const sortKeysOf = (out: Partial<QueryCommandOutput>) =>
      (out.Items ?? []).map((item) => String(item[index.sortKey]));

    it('returns only the partition’s items, in byte order of the sort key, both ways', async () => {
      // Prepare
      const partition = partitionName('order');
      const query = await runner(
        [...itemsOn(index, partition, SORT_KEYS), ...itemsOn(index, `${partition}-other`, ['EVT#a'])],
        index,
      );

      // Act
      const forward = await query(queryOf(index, partition));
      const backward = await query(queryOf(index, partition, { ScanIndexForward: false }));

      // Assess
      expect(sortKeysOf(forward)).toEqual(byteOrder(SORT_KEYS));
      expect(sortKeysOf(backward)).toEqual(byteOrder(SORT_KEYS).reverse());
      expect(forward.LastEvaluatedKey).toBeUndefined();
    });

    it('pages with Limit and ExclusiveStartKey, with a LastEvaluatedKey on every filled page, even the last', async () => {
      // Prepare
      const partition = partitionName('pages');
      const keys = SORT_KEYS.slice(0, 6);
      const query = await runner(itemsOn(index, partition, keys), index);

      // Act
      const pages: Array<Partial<QueryCommandOutput>> = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await query(
          queryOf(index, partition, { Limit: 3, ScanIndexForward: false, ExclusiveStartKey: start }),
        );
        pages.push(page);
        start = page.LastEvaluatedKey;
      } while (start && pages.length < 10);

      // Assess
      expect(pages.map(sortKeysOf)).toEqual([
        byteOrder(keys).reverse().slice(0, 3),
        byteOrder(keys).reverse().slice(3, 6),
        [],
      ]);
      expect(pages.map((page) => page.LastEvaluatedKey !== undefined)).toEqual([true, true, false]);
    });

    it('puts exactly the index and table keys of the last item in LastEvaluatedKey', async () => {
      // Prepare
      const partition = partitionName('key');
      const items = itemsOn(index, partition, ['EVT#1', 'EVT#2', 'EVT#3']);
      const query = await runner(items, index);

      // Act
      const page = await query(queryOf(index, partition, { Limit: 2 }));

      // Assess
      const second = items[1] as Item;
      expect(page.LastEvaluatedKey).toEqual(
        Object.fromEntries(index.keyAttributes.map((k) => [k, second[k]])),
      );
    });

    it('rejects a start key of another partition as a ValidationException', async () => {
      // Prepare
      const partition = partitionName('foreign');
      const items = itemsOn(index, partition, ['EVT#1', 'EVT#2']);
      const query = await runner(items, index);
      const first = await query(queryOf(index, partition, { Limit: 1 }));

      // Act
      const error = await query(
        queryOf(index, `${partition}-elsewhere`, { Limit: 1, ExclusiveStartKey: first.LastEvaluatedKey }),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assess
      expect((error as Error | undefined)?.name).toBe('ValidationException');
    });
  });
};
