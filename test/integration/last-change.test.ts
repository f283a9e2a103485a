/**
 * `lastChange` on DynamoDB Local: the local API Gateway → area function → stores path stamps who
 * made each write on the stored item itself (caller sub and role, correlation id, source IP), a
 * later edit replaces it with the editor, and no response ever shows it.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '#infra/local/seed';
import { companyProfileKey, customerPartition, customerProfileKey } from '#shared/db/keys';
import { LAST_CHANGE } from '#shared/http/request-context';
import { apiClient } from './support/api-client.ts';
import { startTestApi, type TestApi, type TestTable, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

const CREATOR = '11111111-1111-4111-8111-111111111111';
const EDITOR = '22222222-2222-4222-8222-222222222222';

let table: TestTable;
let api: TestApi;
let http: ReturnType<typeof apiClient>;

beforeAll(async () => {
  table = await useTestTable('last-change');
  api = await startTestApi();
  http = apiClient(api);
});

afterAll(async () => {
  await api?.close();
});

const stored = async (key: { pk: string; sk: string }): Promise<Json | undefined> =>
  (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;

describe('lastChange on stored items', () => {
  it('records the creator on the customer and its first timeline entry, then the editor on the edit', async () => {
    // Prepare
    const created = await http.post<Json>(
      '/customers',
      { firstName: 'Ada', lifecycleStage: 'lead' },
      { role: 'sales', sub: CREATOR, headers: { 'x-correlation-id': 'corr-create-7' } },
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    // Act
    const edited = await http.patch<Json>(
      `/customers/${id}`,
      { lifecycleStage: 'customer' },
      {
        role: 'admin',
        sub: EDITOR,
        headers: { 'if-match': `"${created.body.version}"`, 'x-correlation-id': 'corr-edit-7' },
      },
    );

    // Assess
    expect(edited.status).toBe(200);
    expect(created.body).not.toHaveProperty(LAST_CHANGE);
    expect(edited.body).not.toHaveProperty(LAST_CHANGE);
    const profile = await stored(customerProfileKey(id));
    expect(profile?.[LAST_CHANGE]).toEqual({
      actor: { type: 'user', id: EDITOR },
      roles: ['admin'],
      correlationId: 'corr-edit-7',
      sourceIp: '127.0.0.1',
      at: expect.any(String),
    });
    expect(Date.parse(profile?.[LAST_CHANGE].at)).toBeGreaterThanOrEqual(Date.parse(created.body.createdAt));
    const entries = (
      await table.doc.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
          ExpressionAttributeValues: { ':pk': customerPartition(id), ':evt': 'EVT#' },
        }),
      )
    ).Items as Json[];
    const byStage = Object.fromEntries(entries.map((entry) => [entry.to, entry[LAST_CHANGE]]));
    expect(byStage.lead).toMatchObject({ actor: { id: CREATOR }, correlationId: 'corr-create-7' });
    expect(byStage.customer).toMatchObject({ actor: { id: EDITOR }, correlationId: 'corr-edit-7' });
  });

  it('keeps lastChange out of reads, lists and the 360 view', async () => {
    // Prepare
    const created = await http.post<Json>(
      '/customers',
      { firstName: 'Grace' },
      { role: 'sales', sub: CREATOR },
    );
    const id = created.body.id as string;

    // Act
    const responses = await Promise.all([
      http.get(`/customers/${id}`, { role: 'analyst' }),
      http.get('/customers?limit=200', { role: 'analyst' }),
      http.get(`/customers/${id}/view`, { role: 'analyst' }),
      http.get(`/customers/${id}/timeline`, { role: 'analyst' }),
    ]);

    // Assess
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(LAST_CHANGE);
      expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');
    }
    expect((await stored(customerProfileKey(id)))?.[LAST_CHANGE]).toMatchObject({ actor: { id: CREATOR } });
  });

  it('SETs the editor on a company edit and keeps the contact counter', async () => {
    // Prepare
    const company = await http.post<Json>(
      '/companies',
      { name: 'Analytical Engines' },
      { role: 'sales', sub: CREATOR },
    );
    expect(company.status).toBe(201);
    const contact = await http.post<Json>(
      '/customers',
      { firstName: 'Charles', companyId: company.body.id },
      { role: 'sales', sub: CREATOR },
    );
    expect(contact.status).toBe(201);

    // Act
    const edited = await http.patch<Json>(
      `/companies/${company.body.id}`,
      { name: 'Analytical Engines Ltd' },
      { role: 'admin', sub: EDITOR, headers: { 'if-match': `"${company.body.version}"` } },
    );

    // Assess
    expect(edited.status).toBe(200);
    expect(edited.body).not.toHaveProperty(LAST_CHANGE);
    const item = await stored(companyProfileKey(company.body.id));
    expect(item?.contactsCount).toBe(1);
    expect(item?.[LAST_CHANGE]).toMatchObject({ actor: { type: 'user', id: EDITOR }, roles: ['admin'] });
  });

  it('attributes the demo seed to the system actor relay-seed', async () => {
    // Prepare
    const before = new Set(
      ((await http.get<Json>('/customers?limit=200', { role: 'analyst' })).body.items as Json[]).map(
        (c) => c.id,
      ),
    );

    // Act
    const result = await seed({ customers: 2 });

    // Assess
    expect(result.customersCreated).toBe(2);
    const seeded = (
      (await http.get<Json>('/customers?limit=200', { role: 'analyst' })).body.items as Json[]
    ).filter((c) => !before.has(c.id));
    expect(seeded).toHaveLength(2);
    for (const customer of seeded) {
      const item = await stored(customerProfileKey(customer.id));
      expect(item?.[LAST_CHANGE]).toMatchObject({ actor: { type: 'system', id: 'relay-seed' } });
      expect(item?.[LAST_CHANGE].sourceIp).toBeUndefined();
    }
  });
});
