/** Companies and their contacts, end to end on the local cloud. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeCustomerData } from '#shared/db/erasure-store';
import { apiClient } from './support/api-client.ts';
import { startTestApi, type TestApi, type TestTable, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

let api: TestApi;
let table: TestTable;
let http: ReturnType<typeof apiClient>;
let n = 0;
const domain = () => `company${++n}-${Date.now()}.example.com`;

beforeAll(async () => {
  table = await useTestTable('companies-api');
  api = await startTestApi();
  http = apiClient(api);
});

afterAll(async () => {
  await api?.close();
});

describe('Companies API', () => {
  it('creates a company and rejects a duplicate domain (case- and www-insensitive) with 409', async () => {
    const d = domain();
    const first = await http.post<Json>('/companies', { name: 'Acme', domain: d, size: '11-50' });
    const dup = await http.post<Json>('/companies', { name: 'Acme 2', domain: `WWW.${d.toUpperCase()}` });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/companies/${first.body.id}`);
    expect(dup.status).toBe(409);
    expect(dup.body.type).toContain('duplicate-domain');
  });

  it('links contacts, lists them, and refuses to delete a company that has contacts', async () => {
    // Prepare
    const company = (await http.post<Json>('/companies', { name: 'Globex', domain: domain() })).body;
    const a = (await http.post<Json>('/customers', { firstName: 'A', companyId: company.id })).body;
    const b = (await http.post<Json>('/customers', { firstName: 'B', companyId: company.id })).body;

    // Act
    const contacts = await http.get<Json>(`/companies/${company.id}/contacts`);
    const refused = await http.del<Json>(`/companies/${company.id}`, {
      headers: { 'if-match': `"${company.version}"` },
    });
    await http.patch(`/customers/${a.id}`, { companyId: null }, { headers: { 'if-match': '"1"' } });
    // A contact in the recycle bin still counts (it can be restored); its purge unlinks it.
    await http.del(`/customers/${b.id}`, { headers: { 'if-match': '"1"' } });
    const binnedContact = await http.del<Json>(`/companies/${company.id}`, {
      headers: { 'if-match': `"${company.version}"` },
    });
    const listedWhileBinned = await http.get<Json>(`/companies/${company.id}/contacts`);
    await http.post(`/customers/${b.id}/erase`, { reason: 'other' });
    await purgeCustomerData(table.doc, table.tableName, b.id, new Date().toISOString());
    const fetched = await http.get<Json>(`/companies/${company.id}`);
    const deleted = await http.del<Json>(`/companies/${company.id}`, {
      headers: { 'if-match': `"${fetched.body.version}"` },
    });

    // Assess
    expect(contacts.body.items.map((c: Json) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(refused.status).toBe(409);
    expect(binnedContact.status).toBe(409);
    expect(listedWhileBinned.body.items).toEqual([]);
    expect(fetched.body.contactsCount).toBe(0);
    expect(deleted.status).toBe(204);
  });

  it('updates a company with optimistic locking and frees the old domain', async () => {
    const oldDomain = domain();
    const company = (await http.post<Json>('/companies', { name: 'Initech', domain: oldDomain })).body;
    const updated = await http.patch<Json>(
      `/companies/${company.id}`,
      { domain: domain(), industry: 'Software' },
      { headers: { 'if-match': '"1"' } },
    );
    const stale = await http.patch<Json>(
      `/companies/${company.id}`,
      { name: 'Late' },
      { headers: { 'if-match': '"1"' } },
    );
    const reuseOld = await http.post<Json>('/companies', { name: 'Initrode', domain: oldDomain });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, industry: 'Software' });
    expect(stale.status).toBe(412);
    expect(reuseOld.status).toBe(201);
  });

  it('pages through companies with cursors', async () => {
    for (let i = 0; i < 5; i++) await http.post('/companies', { name: `Co ${i}` });
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Json } = await http.get<Json>(
        `/companies?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      ids.push(...res.body.items.map((c: Json) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
