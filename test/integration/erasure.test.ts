/**
 * Issue 7's erasure acceptance on DynamoDB Local: the recycle bin (delete → hidden → restore),
 * erasure answered at once with a tombstone, the purge consumer driven by the tombstone's own
 * event (mapped from its stream record as the publisher maps it), the hourly sweep after the
 * window, and export of a long history. Every registered key pattern is queried afterwards.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, EventBridgeEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as purgeHandler } from '#functions/events/purge-customer';
import { PurgeRequestMissingError } from '#shared/db/erasure-store';
import {
  companyContactKey,
  customerListShard,
  customerPartition,
  customerTimelineByType,
  customerTombstoneKey,
  dedupeKey,
  IDEMPOTENCY_SHARDS,
  idempotencyPartition,
  LIST_SHARDS,
  prefixes,
  recycleBinShard,
  timelineByTypeKeys,
  timelineEntryByIdKeys,
  timelineEntryKey,
  uniqueEmailKey,
} from '#shared/db/keys';
import { appDeps } from '#shared/deps';
import { sweepRecycleBin } from '#shared/domain/customers/service';
import { resetConsumerDeps } from '#shared/events/consumer';
import { eventsFromRecord } from '#shared/events/from-stream';
import { logger } from '#shared/http/logger';
import { apiClient, recordDynamoCommands } from './support/api-client.ts';
import { startTestApi, type TestApi, type TestTable, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

let table: TestTable;
let api: TestApi;
let http: ReturnType<typeof apiClient>;
let n = 0;
const address = () => `erase${++n}.${Date.now()}@example.com`;

beforeAll(async () => {
  table = await useTestTable('erasure');
  resetConsumerDeps();
  api = await startTestApi();
  http = apiClient(api);
});

afterAll(async () => {
  await api?.close();
});

const createCustomer = async (body: Json = {}, role: 'admin' | 'sales' = 'sales', sub?: string) => {
  const res = await http.post<Json>(
    '/customers',
    { firstName: 'Ada', lastName: 'Lovelace', emails: [{ address: address() }], ...body },
    { role, sub },
  );
  expect(res.status).toBe(201);
  return res.body;
};

/** The event production publishes for a tombstone INSERT (publisher mapping of its stream record). */
const purgeRequestedEvent = (tombstone: Record<string, unknown>) => {
  const record = {
    eventID: randomUUID(),
    eventName: 'INSERT',
    dynamodb: {
      ApproximateCreationDateTime: Date.now() / 1000,
      NewImage: marshall(tombstone, { removeUndefinedValues: true }),
    },
  } as unknown as DynamoDBRecord;
  const [event] = eventsFromRecord(record);
  expect(event?.contract.detailType).toBe('customer.purge_requested');
  const envelope = {
    id: randomUUID(),
    version: '0',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'eu-central-1',
    resources: [],
    source: event?.contract.source,
    'detail-type': event?.contract.detailType,
    detail: JSON.parse(JSON.stringify(event?.detail)),
  } as EventBridgeEvent<string, unknown>;
  return envelope;
};

const tombstoneOf = async (customerId: string) =>
  (
    await table.doc.send(
      new GetCommand({
        TableName: table.tableName,
        Key: customerTombstoneKey(customerId),
        ConsistentRead: true,
      }),
    )
  ).Item;

/** The purge as production runs it: tombstone INSERT → publisher mapping → purge consumer. */
const runPurge = async (customerId: string) => {
  const tombstone = await tombstoneOf(customerId);
  expect(tombstone).toBeDefined();
  const envelope = purgeRequestedEvent(tombstone as Record<string, unknown>);
  await purgeHandler(envelope);
  return envelope;
};

const query = async (input: Record<string, unknown>) =>
  (await table.doc.send(new QueryCommand({ TableName: table.tableName, ...input } as never))).Items ?? [];

/** Every key pattern the registry covers for one customer, with what is found there. */
const remnants = async (customerId: string, emails: string[], companyId?: string) => {
  const found: Record<string, unknown[]> = {};
  const partition = await query({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': customerPartition(customerId) },
    ConsistentRead: true,
  });
  found.customerPartition = partition.filter((item) => item.sk !== 'TOMBSTONE');
  found.entryIndex = await query({
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': timelineEntryByIdKeys(customerId, 'x').gsi1pk },
  });
  found.byType = (
    await Promise.all(
      ['note', 'order', 'complaint', 'lifecycle_change'].map((type) =>
        query({
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': customerTimelineByType(customerId, type) },
        }),
      ),
    )
  ).flat();
  found.lists = (
    await Promise.all(
      Array.from({ length: LIST_SHARDS }, (_, shard) =>
        [customerListShard(shard), recycleBinShard(shard)].map((pk) =>
          query({
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk',
            FilterExpression: 'id = :id',
            ExpressionAttributeValues: { ':pk': pk, ':id': customerId },
          }),
        ),
      ).flat(),
    )
  ).flat();
  found.guards = (
    await Promise.all(
      emails.map(
        async (email) =>
          (
            await table.doc.send(new GetCommand({ TableName: table.tableName, Key: uniqueEmailKey(email) }))
          ).Item,
      ),
    )
  ).filter(Boolean);
  found.companyLink = companyId
    ? [
        (
          await table.doc.send(
            new GetCommand({ TableName: table.tableName, Key: companyContactKey(companyId, customerId) }),
          )
        ).Item,
      ].filter(Boolean)
    : [];
  found.idempotency = (
    await Promise.all(
      Array.from({ length: IDEMPOTENCY_SHARDS }, (_, shard) =>
        query({
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'contains(#data, :id)',
          ExpressionAttributeNames: { '#data': 'data' },
          ExpressionAttributeValues: { ':pk': idempotencyPartition(String(shard)), ':id': customerId },
        }),
      ),
    )
  ).flat();
  return found;
};

const nothingLeft = {
  customerPartition: [],
  entryIndex: [],
  byType: [],
  lists: [],
  guards: [],
  companyLink: [],
  idempotency: [],
};

/** Writes `count` note entries straight into the table with the store's key shapes. */
const bulkTimeline = async (customerId: string, count: number) => {
  const items = Array.from({ length: count }, (_, i) => {
    const id = `01JF${String(i).padStart(22, '0')}`;
    const occurredAt = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
    return {
      ...timelineEntryKey(customerId, occurredAt, id),
      ...timelineByTypeKeys(customerId, 'note', occurredAt, id),
      ...timelineEntryByIdKeys(customerId, id),
      entity: 'timelineEntry',
      id,
      customerId,
      type: 'note',
      occurredAt,
      recordedAt: occurredAt,
      actor: { type: 'system' },
      body: `private note ${i} about Ada`,
    };
  });
  for (let i = 0; i < items.length; i += 25) {
    await table.doc.send(
      new BatchWriteCommand({
        RequestItems: { [table.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
};

describe('Erasure (right to erasure)', () => {
  it('erases a customer with 5,000 timeline entries with one request answered at once, then purges every item', async () => {
    // Prepare
    const company = await http.post<Json>('/companies', {
      name: 'Analytical Engines',
      domain: `ae${Date.now()}.com`,
    });
    const email = address();
    const customer = await createCustomer({ emails: [{ address: email }], companyId: company.body.id });
    await http.post(
      `/customers/${customer.id}/timeline`,
      { type: 'note', body: 'keyed' },
      {
        headers: { 'idempotency-key': `erase-${customer.id}` },
      },
    );
    await bulkTimeline(customer.id, 5000);

    // Act
    const startedAt = performance.now();
    const erase = await http.post<Json>(`/customers/${customer.id}/erase`, {
      reason: 'data_subject_request',
    });
    const answeredInMs = performance.now() - startedAt;
    const pending = await http.get<Json>(`/customers/${customer.id}/erasure`);
    await runPurge(customer.id);
    const done = await http.get<Json>(`/customers/${customer.id}/erasure`);
    const left = await remnants(customer.id, [email], company.body.id);
    const again = await http.post<Json>(`/customers/${customer.id}/erase`, {
      reason: 'data_subject_request',
    });
    const reused = await http.post<Json>('/customers', { firstName: 'New', emails: [{ address: email }] });
    const companyAfter = await http.get<Json>(`/companies/${company.body.id}`);

    // Assess
    expect(erase.status).toBe(202);
    expect(erase.headers.get('location')).toBe(`/customers/${customer.id}/erasure`);
    expect(erase.body).toMatchObject({ customerId: customer.id, reason: 'erasure', status: 'pending' });
    expect(answeredInMs).toBeLessThan(2000);
    expect(pending.body.status).toBe('pending');
    expect(done.body).toMatchObject({ status: 'done', category: 'data_subject_request' });
    expect(left).toEqual(nothingLeft);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(done.body);
    expect(reused.status).toBe(201);
    expect(companyAfter.body.contactsCount).toBe(0);
    expect((await http.get<Json>(`/customers/${customer.id}`)).status).toBe(404);
    expect((await http.get<Json>(`/customers/${customer.id}/export`)).status).toBe(404);
    expect(JSON.stringify(done.body)).not.toContain(email);
  }, 120_000);

  it('lets only admins erase and export', async () => {
    // Prepare
    const customer = await createCustomer();

    // Act
    const erase = await http.post<Json>(
      `/customers/${customer.id}/erase`,
      { reason: 'other' },
      { role: 'sales' },
    );
    const exported = await http.get<Json>(`/customers/${customer.id}/export`, { role: 'sales' });
    const bad = await http.post<Json>(`/customers/${customer.id}/erase`, { reason: 'because Ada asked' });

    // Assess
    expect(erase.status).toBe(403);
    expect(exported.status).toBe(403);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body.reason');
    expect(
      (await http.post<Json>('/customers/01JF0000000000000000000000/erase', { reason: 'other' })).status,
    ).toBe(404);
  });
});

describe('Recycle bin', () => {
  it('hides a deleted customer everywhere and restores it with its full timeline', async () => {
    // Prepare
    const email = address();
    const customer = await createCustomer({ emails: [{ address: email }] });
    for (let i = 0; i < 15; i++)
      await http.post(`/customers/${customer.id}/timeline`, { type: 'note', body: `n${i}` });

    // Act
    const del = await http.del<Json>(`/customers/${customer.id}`, { headers: { 'if-match': '"1"' } });
    const hidden = {
      get: (await http.get<Json>(`/customers/${customer.id}`)).status,
      view: (await http.get<Json>(`/customers/${customer.id}/view`)).status,
      timeline: (await http.get<Json>(`/customers/${customer.id}/timeline`)).status,
      append: (await http.post<Json>(`/customers/${customer.id}/timeline`, { type: 'note', body: 'x' }))
        .status,
      lookup: (await http.get<Json>(`/customers?email=${encodeURIComponent(email)}`)).body.items.length,
      listed: (await http.get<Json>('/customers?limit=200')).body.items.some(
        (c: Json) => c.id === customer.id,
      ),
      emailTaken: (await http.post<Json>('/customers', { firstName: 'B', emails: [{ address: email }] }))
        .status,
    };
    const restored = await http.post<Json>(`/customers/${customer.id}/restore`, undefined);
    const timeline = await http.get<Json>(`/customers/${customer.id}/timeline?limit=200`);
    const restoreAgain = await http.post<Json>(`/customers/${customer.id}/restore`, undefined);

    // Assess
    expect(del.status).toBe(204);
    expect(hidden).toEqual({
      get: 404,
      view: 404,
      timeline: 404,
      append: 404,
      lookup: 0,
      listed: false,
      emailTaken: 409,
    });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: customer.id, version: 3 });
    expect(restored.body.deletedAt).toBeUndefined();
    expect(timeline.body.items.filter((e: Json) => e.type === 'note')).toHaveLength(15);
    expect(
      (await http.get<Json>('/customers?limit=200')).body.items.some((c: Json) => c.id === customer.id),
    ).toBe(true);
    expect(restoreAgain.status).toBe(404);
  });

  it('lets sales delete and restore only the customers they own; admins any', async () => {
    // Prepare
    const mine = await createCustomer({}, 'sales', 'sales-owner-1');
    const theirs = await createCustomer({}, 'sales', 'sales-owner-2');
    const unowned = await createCustomer({}, 'admin');

    // Act
    const own = await http.del<Json>(`/customers/${mine.id}`, {
      headers: { 'if-match': '"1"' },
      role: 'sales',
      sub: 'sales-owner-1',
    });
    const other = await http.del<Json>(`/customers/${theirs.id}`, {
      headers: { 'if-match': '"1"' },
      role: 'sales',
      sub: 'sales-owner-1',
    });
    const none = await http.del<Json>(`/customers/${unowned.id}`, {
      headers: { 'if-match': '"1"' },
      role: 'sales',
      sub: 'sales-owner-1',
    });
    const marketing = await http.del<Json>(`/customers/${theirs.id}`, {
      headers: { 'if-match': '"1"' },
      role: 'marketing',
    });
    const admin = await http.del<Json>(`/customers/${theirs.id}`, {
      headers: { 'if-match': '"1"' },
      role: 'admin',
    });
    const restoreOther = await http.post<Json>(`/customers/${theirs.id}/restore`, undefined, {
      role: 'sales',
      sub: 'sales-owner-1',
    });
    const restoreOwn = await http.post<Json>(`/customers/${mine.id}/restore`, undefined, {
      role: 'sales',
      sub: 'sales-owner-1',
    });
    const adminRestore = await http.post<Json>(`/customers/${theirs.id}/restore`, undefined, {
      role: 'admin',
    });

    // Assess
    expect(own.status).toBe(204);
    expect(other.status).toBe(403);
    expect(none.status).toBe(403);
    expect(marketing.status).toBe(403);
    expect(admin.status).toBe(204);
    expect(restoreOther.status).toBe(403);
    expect(restoreOwn.status).toBe(200);
    expect(adminRestore.status).toBe(200);
  });

  it('purges a binned customer after the window: the sweep writes the tombstone, the purge removes the data', async () => {
    // Prepare
    const email = address();
    const customer = await createCustomer({ emails: [{ address: email }] });
    await http.del(`/customers/${customer.id}`, { headers: { 'if-match': '"1"' } });
    const deps = appDeps();
    const before = await sweepRecycleBin({ ...deps, clock: { ...deps.clock, now: () => new Date() } });

    // Act: 31 days later
    const later = new Date(Date.now() + 31 * 86_400_000);
    const due = await sweepRecycleBin({ ...deps, clock: { ...deps.clock, now: () => later } });
    await runPurge(customer.id);
    const restore = await http.post<Json>(`/customers/${customer.id}/restore`, undefined);

    // Assess
    expect(before).not.toContain(customer.id);
    expect(due).toContain(customer.id);
    expect((await http.get<Json>(`/customers/${customer.id}/erasure`)).body).toMatchObject({
      reason: 'retention',
      status: 'done',
    });
    expect(await remnants(customer.id, [email])).toEqual(nothingLeft);
    expect(restore.status).toBe(404);
  });
});

describe('Recycle bin races', () => {
  it('never writes a retention tombstone for a customer restored after the sweep listed it', async () => {
    // Prepare: binned, due, then restored before the sweep writes its tombstone
    const customer = await createCustomer();
    await http.del(`/customers/${customer.id}`, { headers: { 'if-match': '"1"' } });
    const deps = appDeps();
    const later = new Date(Date.now() + 31 * 86_400_000).toISOString();
    const listed = await deps.erasure.dueForPurge(later, 1000);
    await http.post(`/customers/${customer.id}/restore`, undefined);

    // Act
    const written = await deps.erasure.requestRetentionPurge(
      {
        customerId: customer.id,
        reason: 'retention',
        status: 'pending',
        requestedAt: later,
        requestedBy: 'test',
      },
      later,
    );

    // Assess
    expect(listed).toContain(customer.id);
    expect(written).toBe(false);
    expect((await http.get<Json>(`/customers/${customer.id}/erasure`)).status).toBe(404);
    expect((await http.get<Json>(`/customers/${customer.id}`)).status).toBe(200);
  });

  it('refuses to restore once the purge was requested', async () => {
    // Prepare
    const customer = await createCustomer();
    await http.del(`/customers/${customer.id}`, { headers: { 'if-match': '"1"' } });
    const deps = appDeps();
    await sweepRecycleBin({
      ...deps,
      clock: { ...deps.clock, now: () => new Date(Date.now() + 31 * 86_400_000) },
    });

    // Act
    const restore = await http.post<Json>(`/customers/${customer.id}/restore`, undefined);

    // Assess
    expect(restore.status).toBe(404);
    expect((await http.get<Json>(`/customers/${customer.id}/erasure`)).body.reason).toBe('retention');
  });
});

describe('Purge consumer idempotency (at-least-once delivery, replays, restores)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** The dedupe record expired (or completing the claim failed): the next delivery runs the consumer. */
  const forgetDelivery = (envelope: EventBridgeEvent<string, unknown>) =>
    table.doc.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: dedupeKey('purge-customers', (envelope.detail as { eventId: string }).eventId),
      }),
    );
  /** A tombstone as the sweep writes it, for an event whose request no longer stands. */
  const withdrawnRequest = (customerId: string) => ({
    ...customerTombstoneKey(customerId),
    entity: 'customerTombstone',
    customerId,
    reason: 'retention',
    status: 'pending',
    requestedAt: new Date().toISOString(),
    requestedBy: 'system:recycle-bin',
  });
  const partitionOf = (customerId: string) =>
    query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': customerPartition(customerId) },
      ConsistentRead: true,
    });

  it('treats a redelivery or a replay as a no-op: the purge is done, only the tombstone is read', async () => {
    // Prepare
    const email = address();
    const customer = await createCustomer({ emails: [{ address: email }] });
    await http.post(`/customers/${customer.id}/erase`, { reason: 'other' });
    const first = await runPurge(customer.id);
    const proof = await tombstoneOf(customer.id);
    await forgetDelivery(first);
    const info = vi.spyOn(logger, 'info');
    const recorder = recordDynamoCommands({ ignoreKeyPrefix: prefixes.dedupe });

    // Act: the same event again (its dedupe record gone), then another event for the same tombstone
    await purgeHandler(first);
    await purgeHandler(purgeRequestedEvent(proof as Record<string, unknown>));

    // Assess
    expect(recorder.commands).toEqual(['GetItemCommand', 'GetItemCommand']);
    expect(await tombstoneOf(customer.id)).toEqual(proof);
    expect(await remnants(customer.id, [email])).toEqual(nothingLeft);
    expect(info).toHaveBeenCalledTimes(2);
    expect(info).toHaveBeenCalledWith('Customer already purged; nothing to do', {
      customerId: customer.id,
      reason: 'erasure',
    });
    expect(JSON.stringify(info.mock.calls)).not.toContain(email);
  });

  it.each([
    ['restored', false],
    ['restored and binned again', true],
  ] as const)(
    'purges nothing of a customer %s since the request (a stale or replayed event)',
    async (_state, binAgain) => {
      // Prepare
      const email = address();
      const company = await http.post<Json>('/companies', {
        name: 'Restored Ltd',
        domain: `r${Date.now()}.com`,
      });
      const customer = await createCustomer({ emails: [{ address: email }], companyId: company.body.id });
      await http.post(`/customers/${customer.id}/timeline`, { type: 'note', body: 'kept' });
      await http.del(`/customers/${customer.id}`, { headers: { 'if-match': '"1"' } });
      const restored = await http.post<Json>(`/customers/${customer.id}/restore`, undefined);
      if (binAgain)
        await http.del(`/customers/${customer.id}`, {
          headers: { 'if-match': `"${restored.body.version}"` },
        });
      const before = await partitionOf(customer.id);
      const warn = vi.spyOn(logger, 'warn');

      // Act
      await purgeHandler(purgeRequestedEvent(withdrawnRequest(customer.id)));

      // Assess
      expect(await partitionOf(customer.id)).toEqual(before);
      expect(before.some((item) => item.sk === 'PROFILE')).toBe(true);
      expect(await tombstoneOf(customer.id)).toBeUndefined();
      expect(
        (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: uniqueEmailKey(email) })))
          .Item?.customerId,
      ).toBe(customer.id);
      expect(
        await table.doc.send(
          new GetCommand({
            TableName: table.tableName,
            Key: companyContactKey(company.body.id, customer.id),
          }),
        ),
      ).toHaveProperty('Item');
      expect((await http.get<Json>(`/companies/${company.body.id}`)).body.contactsCount).toBe(1);
      expect((await http.get<Json>(`/customers/${customer.id}`)).status).toBe(binAgain ? 404 : 200);
      expect(warn).toHaveBeenCalledWith('Purge no longer requested (customer restored); nothing purged', {
        customerId: customer.id,
        reason: 'retention',
        binned: binAgain,
      });
      expect(JSON.stringify(warn.mock.calls)).not.toContain(email);
    },
  );

  it('throws for a request with neither a tombstone nor a profile, and runs it again on the retry', async () => {
    // Prepare: an id this table never held (an event from elsewhere)
    const event = purgeRequestedEvent(withdrawnRequest(appDeps().clock.newId()));

    // Act
    const first = await purgeHandler(event).catch((error: unknown) => error);
    const retry = await purgeHandler(event).catch((error: unknown) => error);

    // Assess
    expect(first).toBeInstanceOf(PurgeRequestMissingError);
    expect(retry).toBeInstanceOf(PurgeRequestMissingError);
  });
});

describe('Export (right to portability)', () => {
  it('exports everything about a customer with a long history, in pages', async () => {
    // Prepare
    const customer = await createCustomer();
    await http.post(`/customers/${customer.id}/timeline`, {
      type: 'order',
      orderId: 'X-1',
      amount: 5,
      currency: 'EUR',
    });
    await bulkTimeline(customer.id, 1200);

    // Act
    const pages: Json[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: Json } = await http.get<Json>(
        `/customers/${customer.id}/export${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      pages.push(res.body);
      cursor = res.body.nextCursor;
    } while (cursor && pages.length < 20);
    const tampered = await http.get<Json>(
      `/customers/${customer.id}/export?cursor=${encodeURIComponent(`${pages[0]?.nextCursor}x`)}`,
    );

    // Assess
    const all = (section: string) => pages.flatMap((page) => page.sections[section] ?? []);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(all('profile')).toEqual([expect.objectContaining({ id: customer.id, firstName: 'Ada' })]);
    expect(all('stats')).toHaveLength(1);
    expect(all('orders')).toEqual([expect.objectContaining({ orderId: 'X-1', status: 'placed' })]);
    // 1,200 notes + the order + the creation's lifecycle change + the first order's promotion
    expect(all('timeline')).toHaveLength(1203);
    expect(JSON.stringify(pages)).not.toMatch(/"(pk|sk|gsi[12](pk|sk))"/);
    expect(tampered.status).toBe(400);
  });
});
