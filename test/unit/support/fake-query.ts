/**
 * A small, faithful model of DynamoDB Query over an in-memory item list, for use with
 * aws-sdk-client-mock (`ddb.on(QueryCommand).callsFake(fakeQuery(...))`). It honours what
 * pagination depends on: the partition value in `:pk`, sort direction, `Limit`, position-based
 * `ExclusiveStartKey`, DynamoDB's habit of returning `LastEvaluatedKey` whenever a page is
 * filled to `Limit`, even when nothing follows, and (with `pageBytes`) its 1 MB read limit: a page
 * ends early, with `LastEvaluatedKey`, once the items read exceed the budget (at least one item).
 * `test/support/query-contract.ts` holds it to DynamoDB Local's answers (all but the 1 MB limit).
 */
import type { QueryCommandInput, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, string>;

export interface FakeIndex {
  partitionKey: string;
  sortKey: string;
  /** Attributes DynamoDB puts in `LastEvaluatedKey` for this index (index key + table key). */
  keyAttributes: string[];
}

export interface FakePageBudget {
  /** Bytes one Query reads at most (DynamoDB: 1 MB). */
  pageBytes: number;
  /** The stored size of an item. */
  sizeOf: (item: Item) => number;
}

export const fakeQuery =
  (items: readonly Item[], index: FakeIndex, budget?: FakePageBudget) =>
  (input: QueryCommandInput): Partial<QueryCommandOutput> => {
    const partition = input.ExpressionAttributeValues?.[':pk'];
    const start = input.ExclusiveStartKey as Item | undefined;
    if (start && start[index.partitionKey] !== partition) {
      throw Object.assign(new Error('The provided starting key is invalid'), { name: 'ValidationException' });
    }
    const forward = input.ScanIndexForward ?? true;
    const ordered = items
      .filter((item) => item[index.partitionKey] === partition)
      .sort((a, b) => compare(a[index.sortKey], b[index.sortKey]) * (forward ? 1 : -1));
    const remaining = start
      ? ordered.filter((item) => compare(item[index.sortKey], start[index.sortKey]) * (forward ? 1 : -1) > 0)
      : ordered;
    const limit = input.Limit ?? Number.POSITIVE_INFINITY;
    let page = remaining.slice(0, limit);
    let cutBySize = false;
    if (budget) {
      let read = 0;
      const fits = page.findIndex((item) => {
        read += budget.sizeOf(item);
        return read > budget.pageBytes;
      });
      if (fits !== -1) {
        page = page.slice(0, Math.max(1, fits));
        cutBySize = true;
      }
    }
    const last = page.at(-1);
    return {
      Items: page.map((item) => ({ ...item })),
      Count: page.length,
      ...(last && (page.length === limit || cutBySize)
        ? { LastEvaluatedKey: Object.fromEntries(index.keyAttributes.map((k) => [k, last[k]])) }
        : {}),
    };
  };

/** Byte order of two key strings, as DynamoDB compares them. */
const compare = (a: string | undefined, b: string | undefined): number =>
  Buffer.compare(Buffer.from(a ?? ''), Buffer.from(b ?? ''));
