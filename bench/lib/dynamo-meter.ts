/**
 * Counts DynamoDB requests and consumed capacity by instrumenting the SDK client every function
 * shares (`shared/aws/clients.ts` `dynamoClient()`; the document client and the Powertools
 * idempotency layer send through its middleware stack). One `initialize`-step middleware:
 * - counts every command (one per `send`, before SDK retries);
 * - while `capacity` is on, adds `ReturnConsumedCapacity: 'TOTAL'` to data-plane commands and sums
 *   the `ConsumedCapacity` DynamoDB Local returns, as RCU for reads and WCU for writes.
 *
 * DynamoDB Local does not report `TransactWriteItems` by DynamoDB's rules: a transaction of 1, 2 or
 * 4 small Puts all returned 2 units, and larger transactions return figures unrelated to their items. For transactions the
 * meter therefore also computes the units from the item sizes, DynamoDB's published way: each
 * Put/Update/Delete costs 2 WCU per started KB of the larger of the old and new item, each
 * ConditionCheck 2 RCU per started 4 KB, and every GSI the item enters, leaves or changes in costs
 * 1 WCU per started KB (index writes are not transactional). Old and new items are read through a
 * separate, uninstrumented client just before and after the transaction.
 */
import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '#shared/db/table';

const READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export interface Reading {
  /** Commands sent, by SDK command name without the `Command` suffix (e.g. `TransactWriteItems`). */
  calls: Record<string, number>;
  totalCalls: number;
  /** Commands that ended in an error (e.g. a conditional check that failed by design). */
  failed: Record<string, number>;
  /** Best figure: DynamoDB Local's report, with transactions computed from item sizes. */
  rcu: number;
  wcu: number;
  /** Exactly what DynamoDB Local reported (transaction figures unreliable, see above). */
  reported: { rcu: number; wcu: number };
  /** Commands whose response carried no ConsumedCapacity although it was requested. */
  missingCapacity: number;
}

const empty = (): Reading => ({
  calls: {},
  totalCalls: 0,
  failed: {},
  rcu: 0,
  wcu: 0,
  reported: { rcu: 0, wcu: 0 },
  missingCapacity: 0,
});

const unitsOf = (
  capacity: Capacity | Capacity[] | undefined,
): { read: number; write: number; total: number } => {
  const list = capacity === undefined ? [] : Array.isArray(capacity) ? capacity : [capacity];
  let read = 0;
  let write = 0;
  let total = 0;
  for (const c of list) {
    read += c.ReadCapacityUnits ?? 0;
    write += c.WriteCapacityUnits ?? 0;
    total += c.CapacityUnits ?? 0;
  }
  return { read, write, total };
};

// ── item size (DynamoDB's rules: names + values; numbers ~ digits/2 + 1; containers 3 + 1/element) ──
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
const valueSize = (v: AttributeValue): number => {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((a, s) => a + utf8(s), 0);
  if (v.NS) return v.NS.reduce((a, n) => a + Math.ceil(n.length / 2) + 1, 0);
  if (v.BS) return v.BS.reduce((a, b) => a + b.length, 0);
  if (v.L) return 3 + v.L.reduce((a, e) => a + 1 + valueSize(e), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((a, [k, e]) => a + 1 + utf8(k) + valueSize(e), 0);
  return 0;
};
export const itemSize = (item: Record<string, AttributeValue> | undefined): number =>
  item ? Object.entries(item).reduce((a, [k, v]) => a + utf8(k) + valueSize(v), 0) : 0;

const kb = (bytes: number) => Math.ceil(bytes / 1024);

type Item = Record<string, AttributeValue>;
const keyString = (item: Item | undefined, names: readonly string[]) =>
  item && names.every((n) => item[n]?.S !== undefined)
    ? names.map((n) => item[n]?.S).join('\u0000')
    : undefined;
const same = (a: Item | undefined, b: Item | undefined) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** GSI writes caused by an item changing from `before` to `after` (ALL projection). */
const indexWcu = (before: Item | undefined, after: Item | undefined): number => {
  if (same(before, after)) return 0;
  let units = 0;
  for (const index of tableDefinition.globalSecondaryIndexes) {
    const names = [index.partitionKey, index.sortKey];
    const oldKey = keyString(before, names);
    const newKey = keyString(after, names);
    if (oldKey !== undefined && newKey !== undefined && oldKey === newKey) units += kb(itemSize(after));
    else {
      if (oldKey !== undefined) units += kb(itemSize(before));
      if (newKey !== undefined) units += kb(itemSize(after));
    }
  }
  return units;
};

/** A key in either the document client's plain form or the low-level AttributeValue form. */
const toKey = (key: Record<string, unknown>): Item => {
  const out: Item = {};
  for (const name of [tableDefinition.partitionKey, tableDefinition.sortKey]) {
    const value = key[name];
    out[name] = { S: typeof value === 'string' ? value : String((value as { S?: string } | undefined)?.S) };
  }
  return out;
};

interface TxnTarget {
  action: string;
  tableName: string;
  key: Item;
}

const targetsOf = (input: Record<string, unknown>): TxnTarget[] =>
  (
    (input.TransactItems ?? []) as Array<
      Record<string, { TableName: string; Key?: Record<string, unknown>; Item?: Record<string, unknown> }>
    >
  ).flatMap((entry) =>
    Object.entries(entry).map(([action, op]) => ({
      action,
      tableName: op.TableName,
      key: toKey(op.Key ?? op.Item ?? {}),
    })),
  );

export interface DynamoMeter {
  /** Forget everything counted so far and start a new reading. */
  reset(): void;
  read(): Reading;
  /** Ask DynamoDB for ConsumedCapacity (off while latency is measured). */
  capacity: boolean;
}

/** `sideChannel`: an uninstrumented client on the same endpoint, for item sizes around transactions. */
export const instrument = (client: DynamoDBClient, sideChannel: DynamoDBClient): DynamoMeter => {
  let current = empty();
  const meter: DynamoMeter = {
    capacity: false,
    reset: () => {
      current = empty();
    },
    read: () => structuredClone(current),
  };
  const snapshot = (targets: TxnTarget[]) =>
    Promise.all(
      targets.map(
        async (t) =>
          (
            await sideChannel.send(
              new GetItemCommand({ TableName: t.tableName, Key: t.key, ConsistentRead: true }),
            )
          ).Item,
      ),
    );

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      const name = command.replace(/Command$/, '');
      current.calls[name] = (current.calls[name] ?? 0) + 1;
      current.totalCalls++;
      const ask = meter.capacity && (READS.has(command) || WRITES.has(command));
      const input = args.input as Record<string, unknown>;
      const transaction = ask && command === 'TransactWriteItemsCommand';
      const targets = transaction ? targetsOf(input) : [];
      const before = transaction ? await snapshot(targets) : [];
      try {
        const result = await next(
          ask ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } } : args,
        );
        if (ask) {
          const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
          if (output.ConsumedCapacity === undefined) current.missingCapacity++;
          const units = unitsOf(output.ConsumedCapacity);
          // TOTAL returns CapacityUnits; split by the kind of command when no breakdown is given.
          const read = units.read || units.write ? units.read : READS.has(command) ? units.total : 0;
          const write = units.read || units.write ? units.write : WRITES.has(command) ? units.total : 0;
          current.reported.rcu += read;
          current.reported.wcu += write;
          if (transaction) {
            const after = await snapshot(targets);
            targets.forEach((t, i) => {
              const old = before[i];
              const now = after[i];
              if (t.action === 'ConditionCheck') {
                current.rcu += 2 * Math.ceil(itemSize(old) / 4096);
                return;
              }
              current.wcu += 2 * Math.max(1, kb(Math.max(itemSize(old), itemSize(now)))) + indexWcu(old, now);
            });
          } else {
            current.rcu += read;
            current.wcu += write;
          }
        }
        return result;
      } catch (error) {
        current.failed[name] = (current.failed[name] ?? 0) + 1;
        throw error;
      }
    },
    { step: 'initialize', name: 'relayBenchDynamoMeter', priority: 'high' },
  );
  return meter;
};
