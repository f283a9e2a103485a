/** DynamoDB implementation of the customer repository (profiles, guards, links, stats, timeline). */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clearAttentionIfSettled, flagCustomerForAttention } from '#shared/db/attention-store';
import type { CursorKeys } from '#shared/db/cursor';
import {
  batchGet,
  claimGuard,
  entityOf,
  isConditionalCheckFailed,
  type PlannedWrite,
  releaseGuard,
  stamp,
  transactWrite,
} from '#shared/db/dynamo';
import {
  companyContactKey,
  companyContactReverseKeys,
  companyPartition,
  companyProfileKey,
  customerListKeys,
  customerListShard,
  customerPartition,
  customerProfileKey,
  customerStatsKey,
  customerSummaryKey,
  customerTimelineByType,
  customerTombstoneKey,
  LIST_SHARDS,
  orderKey,
  prefixes,
  recycleBinKeys,
  sortKeys,
  timelineByTypeRange,
  timelineEntryByIdKeys,
  timelineRange,
  uniqueEmailKey,
  VIEW_RANGE,
  viewQueryLimit,
} from '#shared/db/keys';
import { type Page, queryPage, queryShardedList } from '#shared/db/pagination';
import { entryItem } from '#shared/db/timeline-items';
import { changedConcurrently } from '#shared/domain/common/records';
import type { Customer } from '#shared/domain/customers/schemas';
import type { CustomerStore, NewEntry, TimelineFilter } from '#shared/domain/customers/store';
import { attentionFor } from '#shared/domain/timeline/attention';
import {
  type AggregateAddition,
  aggregateAdditions,
  boundBeforeAdding,
  emptyStats,
  fromMinor,
  type OrderState,
  type StatsTotals,
  staysWithinLimit,
  sumDeltas,
} from '#shared/domain/timeline/rules';
import type { CustomerStats, TimelineEntry } from '#shared/domain/timeline/schemas';
import { ConflictError, NotFoundError, type RelayError, ValidationError } from '#shared/errors';

type Item = Record<string, unknown>;

const profileItem = (c: Customer): Item =>
  stamp({
    ...customerProfileKey(c.id),
    ...customerListKeys(c.id),
    entity: 'customer',
    ...c,
  });

const orderItem = (o: OrderState): Item => ({ ...orderKey(o.customerId, o.orderId), entity: 'order', ...o });

const statsFromItem = (item: Item | undefined): CustomerStats => {
  if (!item) return emptyStats();
  const revenueMinor = (item.revenueMinor ?? {}) as Record<string, number>;
  return {
    ordersCount: Number(item.ordersCount ?? 0),
    revenue: Object.fromEntries(Object.entries(revenueMinor).map(([cur, minor]) => [cur, fromMinor(minor)])),
    openComplaints: Number(item.openComplaints ?? 0),
    complaintsCount: Number(item.complaintsCount ?? 0),
    openSeriousComplaints: Number(item.openSeriousComplaints ?? 0),
    lastContactAt: (item.lastContactAt as string | undefined) ?? null,
    lastOrderAt: (item.lastOrderAt as string | undefined) ?? null,
    entryCounts: (item.entryCounts ?? {}) as Record<string, number>,
    ...(item.needsAttention === true ? { needsAttention: true } : {}),
    ...(typeof item.attentionReason === 'string' ? { attentionReason: item.attentionReason } : {}),
    ...(typeof item.attentionSince === 'string' ? { attentionSince: item.attentionSince } : {}),
  };
};

const duplicateEmail = (index: number): RelayError =>
  new ConflictError('Another customer already uses this email address.', {
    slug: 'duplicate-email',
    title: 'Email address already in use',
    errors: [
      {
        path: `body.emails[${index}].address`,
        message: 'already used by another customer',
        code: 'duplicate',
      },
    ],
  });

const companyMissing = (): RelayError =>
  new ValidationError('The linked company does not exist.', {
    errors: [{ path: 'body.companyId', message: 'company not found', code: 'not_found' }],
  });

const changed = (): RelayError => changedConcurrently('customer');

/** A stored number in wire format (`{ N: '12' }`), absent = 0. */
const wireNumber = (value: unknown): number => Number((value as { N?: string } | undefined)?.N ?? 0);

/** The stored total an addition applies to, read from the stats item in wire format. */
const storedTotal = (stats: Record<string, unknown>, addition: AggregateAddition): number =>
  addition.kind === 'counter'
    ? wireNumber(stats[addition.field])
    : wireNumber((stats[addition.kind] as { M?: Record<string, unknown> } | undefined)?.M?.[addition.field]);

/** The 409 for additions that would take a customer total past its limit (docs/architecture.md). */
const aggregateLimitError = (additions: AggregateAddition[], stats: Record<string, unknown>): RelayError => {
  const past = additions.filter((a) => a.by !== 0 && !staysWithinLimit(storedTotal(stats, a), a));
  return new ConflictError(
    "The change would take the customer's totals past the limit Relay carries exactly; nothing was written.",
    {
      slug: 'aggregate-limit',
      title: 'A customer total would exceed its limit',
      errors: (past.length > 0 ? past : additions.filter((a) => a.by !== 0)).map((a) =>
        a.kind === 'revenueMinor'
          ? {
              path: 'body.amount',
              message: `the customer's ${a.field} revenue would exceed ${fromMinor(a.limit)}`,
              code: 'aggregate_limit',
            }
          : {
              path: 'body',
              message: `the customer's ${a.field} count would exceed ${a.limit}`,
              code: 'aggregate_limit',
            },
      ),
    },
  );
};

export const createCustomerStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  cursorKeys: CursorKeys,
): CustomerStore => {
  const run = (planned: PlannedWrite[]) => transactWrite(client, planned);

  const linkOps = (customerId: string, companyId: string, direction: 1 | -1): PlannedWrite[] => [
    {
      item:
        direction === 1
          ? {
              Put: {
                TableName: tableName,
                Item: {
                  ...companyContactKey(companyId, customerId),
                  ...companyContactReverseKeys(companyId, customerId),
                  entity: 'companyContact',
                  companyId,
                  customerId,
                },
              },
            }
          : { Delete: { TableName: tableName, Key: companyContactKey(companyId, customerId) } },
    },
    {
      item: {
        Update: {
          TableName: tableName,
          Key: companyProfileKey(companyId),
          UpdateExpression: 'SET contactsCount = if_not_exists(contactsCount, :zero) + :delta',
          // No new contacts for a company in the recycle bin (it is not found until restored).
          ConditionExpression:
            direction === 1
              ? 'attribute_exists(pk) AND attribute_not_exists(deletedAt)'
              : 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':zero': 0, ':delta': direction },
        },
      },
      onFail: direction === 1 ? companyMissing : () => undefined,
    },
  ];

  const guardPut = (customerId: string, address: string, index: number): PlannedWrite =>
    claimGuard(tableName, uniqueEmailKey(address), 'uniqueEmail', { customerId }, () =>
      duplicateEmail(index),
    );

  const guardDelete = (customerId: string, address: string): PlannedWrite =>
    releaseGuard(tableName, uniqueEmailKey(address), 'customerId', customerId);

  const entryPuts = (entries: NewEntry[]): PlannedWrite[] =>
    entries.flatMap(({ entry, order }) => [
      {
        item: {
          Put: {
            TableName: tableName,
            Item: entryItem(entry),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        onFail: () => new ConflictError('This timeline entry already exists.'),
      },
      ...(order?.after ? [orderPut(order.before, order.after)] : []),
    ]);

  /** The order's new state, conditional on the state it was computed from (412 when it moved on). */
  const orderPut = (before: OrderState | undefined, after: OrderState): PlannedWrite => ({
    item: {
      Put: {
        TableName: tableName,
        Item: orderItem(after),
        ...(before
          ? {
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': before.version },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    onFail: () => changedConcurrently('order'),
  });

  /** Entry puts plus one stats update for all of them (an item may appear once per transaction). */
  const entryOps = (customerId: string, entries: NewEntry[]): PlannedWrite[] => {
    const ops = entryPuts(entries);
    if (entries.length === 0) return ops;
    ops.push(statsUpdate(customerId, sumDeltas(entries.map((e) => e.delta))));
    return ops;
  };

  /**
   * One conditional stats update adding `totals` (counters, revenue per currency, entry counts).
   * Each total must stay within its limit (`aggregateAdditions`): the condition bounds the stored
   * value before the addition, so a total is never carried past what Relay renders exactly; a
   * failed bound is a 409 `aggregate-limit` and the whole transaction writes nothing.
   */
  const statsUpdate = (customerId: string, totals: StatsTotals): PlannedWrite => {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':zero': 0 };
    const sets: string[] = [];
    const bounds: string[] = [];
    const additions = aggregateAdditions(totals);
    additions.forEach((addition, n) => {
      names[`#a${n}`] = addition.field;
      values[`:a${n}`] = addition.by;
      const path = addition.kind === 'counter' ? `#a${n}` : `${addition.kind}.#a${n}`;
      sets.push(`${path} = if_not_exists(${path}, :zero) + :a${n}`);
      if (addition.by === 0) return;
      const { comparator, value } = boundBeforeAdding(addition);
      values[`:b${n}`] = value;
      bounds.push(`(attribute_not_exists(${path}) OR ${path} ${comparator} :b${n})`);
    });
    if (sets.length === 0) {
      return {
        item: {
          ConditionCheck: {
            TableName: tableName,
            Key: customerStatsKey(customerId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        onFail: () => new NotFoundError('Customer not found.'),
      };
    }
    return {
      item: {
        Update: {
          TableName: tableName,
          Key: customerStatsKey(customerId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: ['attribute_exists(pk)', ...bounds].join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          // The stored stats come back when a bound fails, to tell "past the limit" from "missing".
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onFail: ({ Item }) =>
        Item ? aggregateLimitError(additions, Item) : new NotFoundError('Customer not found.'),
    };
  };

  /** Keeps "latest" timestamps monotonic: each is only raised, never lowered (idempotent, retry-safe). */
  const raiseLatest = async (customerId: string, entries: NewEntry[]) => {
    const latest = new Map<string, string>();
    for (const { delta } of entries) {
      for (const [field, at] of Object.entries(delta.latest)) {
        if (at && (latest.get(field) ?? '') < at) latest.set(field, at);
      }
    }
    for (const [field, at] of latest) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: customerStatsKey(customerId),
            UpdateExpression: 'SET #f = :at',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#f) OR #f < :at)',
            ExpressionAttributeNames: { '#f': field },
            ExpressionAttributeValues: { ':at': at },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
  };

  const getProfile = async (id: string): Promise<Customer | undefined> => {
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: customerProfileKey(id), ConsistentRead: true }),
    );
    return out.Item ? entityOf<Customer>(out.Item) : undefined;
  };

  const profilesOf = async (ids: string[]): Promise<Customer[]> =>
    (await batchGet(client, tableName, ids.map(customerProfileKey)))
      .filter((item): item is Item => item !== undefined)
      .map((item) => entityOf<Customer>(item));

  return {
    async create(customer, entries) {
      const totals = sumDeltas(entries.map((e) => e.delta));
      const planned: PlannedWrite[] = [
        {
          item: {
            Put: {
              TableName: tableName,
              Item: profileItem(customer),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onFail: () => new ConflictError('A customer with this id already exists.'),
        },
        {
          item: {
            Put: {
              TableName: tableName,
              Item: {
                ...customerStatsKey(customer.id),
                entity: 'customerStats',
                ordersCount: 0,
                complaintsCount: 0,
                openComplaints: 0,
                openSeriousComplaints: 0,
                ...totals.counters,
                revenueMinor: totals.revenueMinor,
                entryCounts: totals.entryCounts,
              },
            },
          },
        },
        ...entryPuts(entries),
        ...customer.emails.map((e, i) => guardPut(customer.id, e.address, i)),
        ...(customer.companyId ? linkOps(customer.id, customer.companyId, 1) : []),
      ];
      await run(planned);
      await raiseLatest(customer.id, entries);
    },

    get: getProfile,

    async replace(before, after, entries) {
      // Compared by guard key (normalised in keys.ts), so a change of case or spacing keeps the guard.
      const guardOf = (address: string) => uniqueEmailKey(address).pk;
      const beforeEmails = new Set(before.emails.map((e) => guardOf(e.address)));
      const afterEmails = new Set(after.emails.map((e) => guardOf(e.address)));
      const planned: PlannedWrite[] = [
        {
          item: {
            Put: {
              TableName: tableName,
              Item: profileItem(after),
              ConditionExpression: 'attribute_exists(pk) AND version = :expected',
              ExpressionAttributeValues: { ':expected': before.version },
            },
          },
          onFail: changed,
        },
        ...after.emails.flatMap((e, i) =>
          beforeEmails.has(guardOf(e.address)) ? [] : [guardPut(after.id, e.address, i)],
        ),
        ...before.emails.flatMap((e) =>
          afterEmails.has(guardOf(e.address)) ? [] : [guardDelete(before.id, e.address)],
        ),
        ...(before.companyId !== after.companyId
          ? [
              ...(before.companyId ? linkOps(before.id, before.companyId, -1) : []),
              ...(after.companyId ? linkOps(after.id, after.companyId, 1) : []),
            ]
          : []),
        ...entryOps(after.id, entries),
      ];
      await run(planned);
      await raiseLatest(after.id, entries);
    },

    async bin(customer, binned) {
      if (!binned.purgeAt) throw new Error('a binned customer needs purgeAt');
      await run([
        {
          item: {
            Put: {
              TableName: tableName,
              // Off the customer list, onto the recycle bin index (sorted by purgeAt).
              Item: stamp({
                ...customerProfileKey(binned.id),
                ...recycleBinKeys(binned.id, binned.purgeAt),
                entity: 'customer',
                ...binned,
              }),
              ConditionExpression: 'version = :expected AND attribute_not_exists(deletedAt)',
              ExpressionAttributeValues: { ':expected': customer.version },
            },
          },
          onFail: changed,
        },
      ]);
    },

    async restore(binned, restored) {
      await run([
        {
          item: {
            Put: {
              TableName: tableName,
              Item: profileItem(restored),
              ConditionExpression: 'version = :expected AND attribute_exists(deletedAt)',
              ExpressionAttributeValues: { ':expected': binned.version },
            },
          },
          onFail: changed,
        },
        // Not restorable once its purge was requested.
        {
          item: {
            ConditionCheck: {
              TableName: tableName,
              Key: customerTombstoneKey(binned.id),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onFail: () => new NotFoundError('Customer not found.'),
        },
      ]);
    },

    async list({ limit, cursor }) {
      const page = await queryShardedList(client, {
        tableName,
        shardPartition: customerListShard,
        shards: LIST_SHARDS,
        limit,
        cursor,
        cursorContext: { keys: cursorKeys, scope: 'customers' },
      });
      return { items: page.items.map((item) => entityOf<Customer>(item)), nextCursor: page.nextCursor };
    },

    async findIdByEmail(email) {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: uniqueEmailKey(email) }));
      return out.Item?.customerId as string | undefined;
    },

    async view(id, latest) {
      // STATS > PROFILE > EVT#… in byte order: one descending Query returns all three.
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': customerPartition(id),
            ':from': VIEW_RANGE.start,
            ':to': VIEW_RANGE.end,
          },
          ScanIndexForward: false,
          Limit: viewQueryLimit(latest),
          ConsistentRead: true,
        }),
      );
      const items = out.Items ?? [];
      const profile = items.find((item) => item.sk === sortKeys.profile);
      if (!profile) return undefined;
      return {
        customer: entityOf<Customer>(profile),
        stats: statsFromItem(items.find((item) => item.sk === sortKeys.stats)),
        subscriptions: (items.find((item) => item.sk === customerSummaryKey(id, 'consents').sk)?.types ??
          {}) as Record<string, { status: string; changedAt: string; source: string }>,
        // The Limit makes room for every summary kind; without them the Query returns more entries.
        latest: items
          .filter((item) => String(item.sk).startsWith(prefixes.event))
          .slice(0, latest)
          .map((item) => entityOf<TimelineEntry>(item)),
      };
    },

    async append(customer, entries, after) {
      const planned: PlannedWrite[] = [
        after
          ? {
              item: {
                Put: {
                  TableName: tableName,
                  Item: profileItem(after),
                  ConditionExpression: 'attribute_exists(pk) AND version = :expected',
                  ExpressionAttributeValues: { ':expected': customer.version },
                },
              },
              onFail: changed,
            }
          : {
              item: {
                ConditionCheck: {
                  TableName: tableName,
                  Key: customerProfileKey(customer.id),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              onFail: () => new NotFoundError('Customer not found.'),
            },
        ...entryOps(customer.id, entries),
      ];
      await run(planned);
      await raiseLatest(customer.id, entries);
    },

    async timeline(customerId, filter: TimelineFilter) {
      const scope = `timeline:${customerId}:${filter.type ?? ''}:${filter.from ?? ''}:${filter.to ?? ''}`;
      const cursorContext = { keys: cursorKeys, scope };
      const page = filter.type
        ? await queryPage(
            client,
            {
              TableName: tableName,
              IndexName: 'gsi2',
              KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :start AND :end',
              ExpressionAttributeValues: {
                ':pk': customerTimelineByType(customerId, filter.type),
                ...rangeValues(timelineByTypeRange(filter.from, filter.to)),
              },
              ScanIndexForward: false,
            },
            {
              limit: filter.limit,
              cursor: filter.cursor,
              cursorContext,
              partitionKeyName: 'gsi2pk',
              partitionKeyValue: customerTimelineByType(customerId, filter.type),
            },
          )
        : await queryPage(
            client,
            {
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :start AND :end',
              ExpressionAttributeValues: {
                ':pk': customerPartition(customerId),
                ...rangeValues(timelineRange(filter.from, filter.to)),
              },
              ScanIndexForward: false,
            },
            {
              limit: filter.limit,
              cursor: filter.cursor,
              cursorContext,
              partitionKeyName: 'pk',
              partitionKeyValue: customerPartition(customerId),
            },
          );
      return { items: page.items.map((item) => entityOf<TimelineEntry>(item)), nextCursor: page.nextCursor };
    },

    async entry(customerId, entryId) {
      // The entry's sort key holds its occurredAt: find it by id on gsi1, then read it consistently.
      const found = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
          ExpressionAttributeValues: {
            ':pk': timelineEntryByIdKeys(customerId, entryId).gsi1pk,
            ':sk': timelineEntryByIdKeys(customerId, entryId).gsi1sk,
          },
          ProjectionExpression: 'pk, sk',
          Limit: 1,
        }),
      );
      const key = found.Items?.[0];
      if (!key) return undefined;
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }),
      );
      return out.Item ? entityOf<TimelineEntry>(out.Item) : undefined;
    },

    async order(customerId, orderId) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: orderKey(customerId, orderId), ConsistentRead: true }),
      );
      return out.Item ? entityOf<OrderState>(out.Item) : undefined;
    },

    async updateEntry({ before, after, delta }) {
      await run([
        {
          item: {
            Put: {
              TableName: tableName,
              Item: entryItem(after),
              // Entries are stored without `version` until their first update (version 1).
              ConditionExpression:
                before.version === undefined
                  ? 'attribute_exists(pk) AND attribute_not_exists(version)'
                  : 'attribute_exists(pk) AND version = :expected',
              ...(before.version === undefined
                ? {}
                : { ExpressionAttributeValues: { ':expected': before.version } }),
            },
          },
          onFail: () => changedConcurrently('timeline entry'),
        },
        statsUpdate(before.customerId, sumDeltas([delta])),
      ]);
      // The flag follows the open serious complaints: raised by one, cleared with the last one.
      const flag = attentionFor({ type: after.type, occurredAt: after.occurredAt, entry: after });
      if (flag) await flagCustomerForAttention(client, tableName, after.customerId, flag);
      else await clearAttentionIfSettled(client, tableName, after.customerId);
    },

    async contactsOf(companyId, { limit, cursor }) {
      const page = await queryPage(
        client,
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': companyPartition(companyId), ':prefix': prefixes.customer },
        },
        {
          limit,
          cursor,
          cursorContext: { keys: cursorKeys, scope: `contacts:${companyId}` },
          partitionKeyName: 'pk',
          partitionKeyValue: companyPartition(companyId),
        },
      );
      // A contact in the recycle bin is hidden like everywhere else (it still counts in contactsCount).
      const customers = (await profilesOf(page.items.map((item) => String(item.customerId)))).filter(
        (customer) => customer.deletedAt === undefined,
      );
      return { items: customers, nextCursor: page.nextCursor } satisfies Page<Customer>;
    },
  };
};

const rangeValues = ({ start, end }: { start: string; end: string }) => ({ ':start': start, ':end': end });
