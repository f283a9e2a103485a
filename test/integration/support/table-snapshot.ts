/**
 * The whole test table as data, to prove a rejected write changed nothing: a Scan through the
 * low-level client (wire-format values, so numbers past 2^53 and binary values compare exactly),
 * items sorted by key. Test support only: no request path scans.
 */
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { TestTable } from './local-cloud.ts';

/** Every item of the table, canonical (keys sorted, items ordered by pk then sk), as one string. */
export const tableSnapshot = async (table: Pick<TestTable, 'client' | 'tableName'>): Promise<string> => {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await table.client.send(
      new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const keyOf = (item: Record<string, AttributeValue>) => `${item.pk?.S ?? ''}\u0000${item.sk?.S ?? ''}`;
  items.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return JSON.stringify(items.map(canonical));
};

const canonical = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return { binary: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
};
