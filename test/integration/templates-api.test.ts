/**
 * Email templates end to end: local API Gateway → templates area function → DynamoDB Local, with
 * each version created as an SES template in the local SES (aws-ses-v2-local).
 */
import { GetEmailTemplateCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#infra/local/dynamodb';
import { type LocalSes, startLocalSes } from '#infra/local/ses';
import { apiClient } from './support/api-client.ts';
import { startTestApi, type TestApi, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

let api: TestApi;
let ses: LocalSes;
let http: ReturnType<typeof apiClient>;
let n = 0;

beforeAll(async () => {
  await useTestTable('templates-api');
  ses = await startLocalSes();
  api = await startTestApi();
  http = apiClient(api);
  const defs = await http.call<Json>('PUT', '/settings/customer-attributes', {
    body: { definitions: [{ name: 'plan', type: 'string' }] },
  });
  expect(defs.status).toBe(200);
});

afterAll(async () => {
  await api?.close();
  await ses?.stop();
});

const newsletter = (overrides: Json = {}) => ({
  name: `Newsletter ${++n}`,
  kind: 'marketing',
  subject: 'News for {{firstName}}',
  html: '<p>Hi {{firstName}} ({{attributes.plan}}) at {{company.name}}</p><a href="{{unsubscribeUrl}}">Unsubscribe</a>',
  text: 'Hi {{firstName}} ({{attributes.plan}})\nUnsubscribe: {{unsubscribeUrl}}',
  defaults: { firstName: 'there', 'attributes.plan': 'free' },
  ...overrides,
});

const create = async (body: Json = newsletter()) => {
  const res = await http.post<Json>('/templates', body, { role: 'marketing' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

/** The SES template `name` as the local SES returns it (GetEmailTemplate), or undefined. */
const sesTemplate = async (name: string): Promise<Json | undefined> => {
  const client = new SESv2Client({
    endpoint: ses.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    return (await client.send(new GetEmailTemplateCommand({ TemplateName: name }))).TemplateContent;
  } catch (error) {
    // aws-ses-v2-local answers a bare 404 (no NotFoundException type).
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return undefined;
    throw error;
  }
};

describe('Templates API', () => {
  it('creates version 1, stores it and creates its SES template', async () => {
    // Act
    const created = await create();
    const fetched = await http.get<Json>(`/templates/${created.id}`, { role: 'analyst' });
    const pinned = await http.get<Json>(`/templates/${created.id}/versions/1`);

    // Assess
    expect(created).toMatchObject({ kind: 'marketing', contentVersion: 1, version: 1 });
    expect(created.sesTemplateName).toBe(`relay-test-${created.id}-v1`);
    expect(fetched.body).toEqual(created);
    expect(pinned.body).toMatchObject({
      templateId: created.id,
      contentVersion: 1,
      subject: created.subject,
    });
    expect(await sesTemplate(created.sesTemplateName)).toEqual({
      Subject: created.subject,
      Html: created.html,
      Text: created.text,
    });
  });

  it('makes a new immutable version for a content change, and none for a rename', async () => {
    // Prepare
    const created = await create();

    // Act
    const renamed = await http.patch<Json>(
      `/templates/${created.id}`,
      { name: `${created.name} (renamed)` },
      { role: 'marketing', headers: { 'if-match': '"1"' } },
    );
    const edited = await http.patch<Json>(
      `/templates/${created.id}`,
      { subject: 'Your news, {{firstName}}', version: renamed.body.version },
      { role: 'marketing' },
    );
    const stale = await http.patch<Json>(
      `/templates/${created.id}`,
      { subject: 'Lost update' },
      { role: 'marketing', headers: { 'if-match': '"1"' } },
    );
    const v1 = await http.get<Json>(`/templates/${created.id}/versions/1`);
    const v2 = await http.get<Json>(`/templates/${created.id}/versions/2`);
    const v3 = await http.get<Json>(`/templates/${created.id}/versions/3`);

    // Assess
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ contentVersion: 1, version: 2 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ contentVersion: 2, version: 3, subject: 'Your news, {{firstName}}' });
    expect(stale.status).toBe(412);
    expect(v1.body.subject).toBe('News for {{firstName}}');
    expect(v2.body.subject).toBe('Your news, {{firstName}}');
    expect(v3.status).toBe(404);
    expect((await sesTemplate(`relay-test-${created.id}-v1`))?.Subject).toBe('News for {{firstName}}');
    expect((await sesTemplate(`relay-test-${created.id}-v2`))?.Subject).toBe('Your news, {{firstName}}');
  });

  it('answers 409 for a duplicate name (case-insensitive), also on rename, and frees a deleted name', async () => {
    // Prepare
    const first = await create();
    const other = await create();

    // Act
    const duplicate = await http.post<Json>('/templates', newsletter({ name: first.name.toUpperCase() }));
    const renameClash = await http.patch<Json>(
      `/templates/${other.id}`,
      { name: first.name },
      { headers: { 'if-match': '"1"' } },
    );
    const deleted = await http.del(`/templates/${first.id}`, { headers: { 'if-match': '"1"' } });
    const reused = await http.post<Json>('/templates', newsletter({ name: first.name }));

    // Assess
    expect(duplicate.status).toBe(409);
    expect(renameClash.status).toBe(409);
    expect(deleted.status).toBe(204);
    expect((await http.get(`/templates/${first.id}`)).status).toBe(404);
    expect((await http.get(`/templates/${first.id}/versions/1`)).status).toBe(404);
    expect(await sesTemplate(first.sesTemplateName)).toBeUndefined();
    expect(reused.status).toBe(201);
  });

  it('rejects unknown placeholders, bad syntax, custom helpers and a missing unsubscribe link with field errors', async () => {
    // Act
    const res = await http.post<Json>(
      '/templates',
      newsletter({
        subject: 'Hi {{nickname}}',
        html: '<p>{{#shout firstName}}x{{/shout}}</p>',
        text: 'Hi {{firstName}\n',
      }),
    );
    const undefinedAttribute = await http.post<Json>(
      '/templates',
      newsletter({ text: '{{attributes.tier}} {{unsubscribeUrl}}' }),
    );

    // Assess
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const byPath = (path: string) =>
      res.body.errors.filter((e: Json) => e.path === path).map((e: Json) => e.code);
    expect(byPath('body.subject')).toEqual(['unknown_placeholder']);
    expect(byPath('body.html')).toEqual(['helper_not_allowed', 'unsubscribe_link_required']);
    expect(byPath('body.text')).toEqual(['template_syntax', 'unsubscribe_link_required']);
    expect(res.body.errors.find((e: Json) => e.path === 'body.subject').message).toContain(
      'line 1, column 6',
    );
    expect(undefinedAttribute.status).toBe(400);
    expect(undefinedAttribute.body.errors[0]).toMatchObject({
      path: 'body.text',
      code: 'unknown_placeholder',
    });
  });

  it('previews with sample data, defaults and a fake unsubscribe link, escaping HTML', async () => {
    // Prepare
    const created = await create();

    // Act
    const res = await http.post<Json>(
      `/templates/${created.id}/preview`,
      { data: { firstName: '<Ada>', company: { name: 'Acme & Co' } } },
      { role: 'analyst' },
    );

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      templateId: created.id,
      contentVersion: 1,
      subject: 'News for &lt;Ada&gt;',
      html: '<p>Hi &lt;Ada&gt; (free) at Acme &amp; Co</p><a href="https://example.invalid/unsubscribe?token&#x3D;preview">Unsubscribe</a>',
      text: 'Hi &lt;Ada&gt; (free)\nUnsubscribe: https://example.invalid/unsubscribe?token&#x3D;preview',
      missing: [],
    });
  });

  it('previews a pinned version for a real customer, which needs customers.read', async () => {
    // Prepare
    const company = await http.post<Json>('/companies', { name: 'Globex' });
    const customer = await http.post<Json>('/customers', {
      firstName: 'Grace',
      lastName: 'Hopper',
      companyId: company.body.id,
      attributes: { plan: 'pro' },
    });
    const created = await create();
    await http.patch(
      `/templates/${created.id}`,
      { subject: 'Changed {{lastName}}' },
      { headers: { 'if-match': '"1"' } },
    );

    // Act
    const pinned = await http.post<Json>(
      `/templates/${created.id}/preview`,
      { customerId: customer.body.id, version: 1 },
      { role: 'marketing' },
    );
    const latest = await http.post<Json>(`/templates/${created.id}/preview`, {}, { role: 'marketing' });
    const missingCustomer = await http.post<Json>(
      `/templates/${created.id}/preview`,
      { customerId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' },
      { role: 'marketing' },
    );

    // Assess
    expect(pinned.status).toBe(200);
    expect(pinned.body).toMatchObject({
      contentVersion: 1,
      subject: 'News for Grace',
      html: expect.stringContaining('Hi Grace (pro) at Globex'),
    });
    expect(latest.body).toMatchObject({
      contentVersion: 2,
      subject: 'Changed ',
      missing: ['company.name', 'lastName'],
    });
    expect(missingCustomer.status).toBe(404);
  });

  it('lists templates page by page with a cursor', async () => {
    // Prepare
    await create();
    await create();

    // Act
    const first = await http.get<Json>('/templates?limit=1');
    const second = await http.get<Json>(
      `/templates?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );

    // Assess
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it('lets only marketing and admin write', async () => {
    // Act
    const sales = await http.post<Json>('/templates', newsletter(), { role: 'sales' });

    // Assess
    expect(sales.status).toBe(403);
  });
});
