/** Companies and their contacts, end to end on the local cloud. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompanyStore } from '#shared/db/company-store';
import { purgeCustomerData } from '#shared/db/erasure-store';
import { sweepCompanyBin } from '#shared/domain/companies/service';
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

  it('moves a deleted company to the recycle bin: hidden, domain reserved, restorable, purged after the window', async () => {
    // Prepare
    const d = domain();
    const company = (await http.post<Json>('/companies', { name: 'Binned AG', domain: d })).body;
    const companies = createCompanyStore(table.doc, table.tableName);
    const sweep = (days: number) =>
      sweepCompanyBin({
        companies,
        clock: { now: () => new Date(Date.now() + days * 86_400_000), newId: () => 'unused' },
      });
    const listedIds = async () => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await http.get<Json>(`/companies?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
        ids.push(...page.body.items.map((c: Json) => c.id));
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
      return ids;
    };

    // Act: delete → binned
    const deleted = await http.del<Json>(`/companies/${company.id}`, { headers: { 'if-match': '"1"' } });
    const whileBinned = {
      get: await http.get<Json>(`/companies/${company.id}`),
      patch: await http.patch<Json>(
        `/companies/${company.id}`,
        { industry: 'x' },
        { headers: { 'if-match': '"2"' } },
      ),
      contacts: await http.get<Json>(`/companies/${company.id}/contacts`),
      link: await http.post<Json>('/customers', { firstName: 'Late', companyId: company.id }),
      sameDomain: await http.post<Json>('/companies', { name: 'Copycat', domain: d }),
      listed: await listedIds(),
      sweptEarly: await sweep(0),
    };
    // Act: restore, then delete again and let the window pass
    const restored = await http.post<Json>(`/companies/${company.id}/restore`, {});
    const afterRestore = await http.get<Json>(`/companies/${company.id}`);
    const listedAfterRestore = await listedIds();
    const again = await http.del<Json>(`/companies/${company.id}`, { headers: { 'if-match': '"3"' } });
    const purged = await sweep(31);
    const purgedTwice = await sweep(31);

    // Assess
    expect(deleted.status).toBe(204);
    expect(whileBinned.get.status).toBe(404);
    expect(whileBinned.patch.status).toBe(404);
    expect(whileBinned.contacts.status).toBe(404);
    expect(whileBinned.link.status).toBe(400);
    expect(whileBinned.link.body.errors?.[0]?.path).toBe('body.companyId');
    expect(whileBinned.sameDomain.status).toBe(409);
    expect(whileBinned.listed).not.toContain(company.id);
    expect(whileBinned.sweptEarly).not.toContain(company.id);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: company.id, name: 'Binned AG', version: 3, contactsCount: 0 });
    expect(restored.body.deletedAt).toBeUndefined();
    expect(afterRestore.status).toBe(200);
    expect(listedAfterRestore).toContain(company.id);
    expect(again.status).toBe(204);
    expect(purged).toContain(company.id);
    expect(purgedTwice).not.toContain(company.id);
    expect((await http.get<Json>(`/companies/${company.id}`)).status).toBe(404);
    expect((await http.post<Json>(`/companies/${company.id}/restore`, {})).status).toBe(404);
    expect((await http.post<Json>('/companies', { name: 'Reuse', domain: d })).status).toBe(201);
  });

  it('lets sales delete and restore only the companies they own', async () => {
    // Prepare
    const own = (
      await http.post<Json>(
        '/companies',
        { name: 'Own', domain: domain() },
        { role: 'sales', sub: 'sales-1' },
      )
    ).body;
    const foreign = (
      await http.post<Json>('/companies', { name: 'Foreign', domain: domain(), ownerId: 'sales-2' })
    ).body;
    const unowned = (await http.post<Json>('/companies', { name: 'Unowned', domain: domain() })).body;
    const asSales = { role: 'sales' as const, sub: 'sales-1', headers: { 'if-match': '"1"' } };

    // Act
    const ownDeleted = await http.del<Json>(`/companies/${own.id}`, asSales);
    const ownRestored = await http.post<Json>(
      `/companies/${own.id}/restore`,
      {},
      { role: 'sales', sub: 'sales-1' },
    );
    const foreignDeleted = await http.del<Json>(`/companies/${foreign.id}`, asSales);
    const unownedDeleted = await http.del<Json>(`/companies/${unowned.id}`, asSales);
    const supportDeleted = await http.del<Json>(`/companies/${unowned.id}`, {
      role: 'support',
      headers: { 'if-match': '"1"' },
    });
    await http.del(`/companies/${foreign.id}`, { headers: { 'if-match': '"1"' } });
    const foreignRestored = await http.post<Json>(
      `/companies/${foreign.id}/restore`,
      {},
      { role: 'sales', sub: 'sales-1' },
    );

    // Assess
    expect(own.ownerId).toBe('sales-1');
    expect(ownDeleted.status).toBe(204);
    expect(ownRestored.status).toBe(200);
    expect(foreignDeleted.status).toBe(403);
    expect(unownedDeleted.status).toBe(403);
    expect(supportDeleted.status).toBe(403);
    expect(foreignRestored.status).toBe(403);
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

  it('changes a domain to another spelling of itself (www., case) and keeps it reserved', async () => {
    // Prepare
    const d = domain();
    const company = (await http.post<Json>('/companies', { name: 'Spelling', domain: `www.${d}` })).body;

    // Act
    const respelled = await http.patch<Json>(
      `/companies/${company.id}`,
      { domain: d.toUpperCase() },
      { headers: { 'if-match': '"1"' } },
    );
    const copycat = await http.post<Json>('/companies', { name: 'Copycat', domain: d });

    // Assess
    expect(respelled.status).toBe(200);
    expect(respelled.body).toMatchObject({ domain: d, version: 2 });
    expect(copycat.status).toBe(409);
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
