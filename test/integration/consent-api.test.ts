/**
 * Consent end to end: local API Gateway → consent area function → DynamoDB Local. Subscription
 * types, a customer's subscriptions and their ledger, one-click unsubscribe (the exact RFC 8058
 * form post), the preference page and the suppression list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentDeps } from '#shared/deps';
import { unsubscribeToken } from '#shared/domain/consent/service';
import { apiClient } from './support/api-client.ts';
import { startTestApi, type TestApi, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

let api: TestApi;
let http: ReturnType<typeof apiClient>;

const TYPES = [
  {
    id: 'newsletter',
    name: 'Newsletter',
    purpose: 'Monthly news',
    default: 'opt_in',
    legalBasis: 'consent',
  },
  {
    id: 'offers',
    name: 'Offers',
    purpose: 'Discounts and offers',
    default: 'opt_in',
    legalBasis: 'consent',
  },
  {
    id: 'product_updates',
    name: 'Product updates',
    purpose: 'Changes to products you use',
    default: 'opt_out',
    legalBasis: 'legitimate_interest',
  },
  {
    id: 'events',
    name: 'Events',
    purpose: 'Invitations',
    default: 'opt_in',
    legalBasis: 'consent',
    doubleOptIn: true,
  },
];

const ONE_CLICK = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  await useTestTable('consent-api');
  api = await startTestApi();
  http = apiClient(api);
  const res = await http.call<Json>('PUT', '/settings/subscription-types', { body: { types: TYPES } });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await api?.close();
});

const newCustomer = async (): Promise<Json> => {
  const res = await http.post<Json>('/customers', {
    firstName: 'Grace',
    lastName: 'Hopper',
    emails: [{ address: `grace.${Date.now()}.${Math.random()}@example.com` }],
  });
  expect(res.status).toBe(201);
  return res.body;
};

const subscribe = async (customerId: string, types: string[]) => {
  const res = await http.call<Json>('PUT', `/customers/${customerId}/subscriptions`, {
    body: { changes: types.map((type) => ({ type, status: 'subscribed' })), source: 'form' },
  });
  expect(res.status).toBe(200);
  return res.body;
};

const statusOf = (view: Json, type: string) =>
  (view.subscriptions as Json[]).find((s) => s.type === type)?.status;

describe('Consent API', () => {
  it('derives every type from its default until something is recorded', async () => {
    // Prepare
    const customer = await newCustomer();

    // Act
    const res = await http.get<Json>(`/customers/${customer.id}/subscriptions`);

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customerId: customer.id, version: 0 });
    expect(res.body.subscriptions).toEqual([
      expect.objectContaining({ type: 'newsletter', status: 'unsubscribed', explicit: false }),
      expect.objectContaining({ type: 'offers', status: 'unsubscribed', explicit: false }),
      expect.objectContaining({ type: 'product_updates', status: 'subscribed', explicit: false }),
      expect.objectContaining({ type: 'events', status: 'unsubscribed', explicit: false }),
    ]);
  });

  it('records grants on the ledger and in the 360 view; a repeat records nothing', async () => {
    // Prepare
    const customer = await newCustomer();

    // Act
    const first = await subscribe(customer.id, ['newsletter', 'offers']);
    const again = await subscribe(customer.id, ['newsletter', 'offers']);
    const history = await http.get<Json>(`/customers/${customer.id}/subscriptions/history`);
    const view = await http.get<Json>(`/customers/${customer.id}/view`);
    const timeline = await http.get<Json>(`/customers/${customer.id}/timeline?type=consent_change`);

    // Assess
    expect(statusOf(first, 'newsletter')).toBe('subscribed');
    expect(first.version).toBe(1);
    expect(again.version).toBe(1);
    expect(history.body.items).toHaveLength(2);
    expect(history.body.items[0]).toMatchObject({
      customerId: customer.id,
      status: 'subscribed',
      previousStatus: 'unsubscribed',
      source: 'form',
      legalBasis: 'consent',
      actor: { type: 'user' },
    });
    expect(view.body.subscriptions).toMatchObject({
      newsletter: { status: 'subscribed', source: 'form' },
      offers: { status: 'subscribed', source: 'form' },
    });
    expect(timeline.body.items).toHaveLength(2);
  });

  it('holds a double opt-in grant as pending', async () => {
    // Prepare
    const customer = await newCustomer();

    // Act
    const view = await subscribe(customer.id, ['events']);

    // Assess
    expect(statusOf(view, 'events')).toBe('pending');
  });

  it('unsubscribes one type only through the exact RFC 8058 one-click post, recorded as one-click', async () => {
    // Prepare
    const customer = await newCustomer();
    await subscribe(customer.id, ['newsletter', 'offers']);
    const token = await unsubscribeToken(consentDeps(), customer.id, 'offers');

    // Act
    const res = await http.call('POST', `/unsubscribe?token=${encodeURIComponent(token)}`, {
      token: null,
      body: 'List-Unsubscribe=One-Click',
      headers: ONE_CLICK,
    });
    const replay = await http.call('POST', `/unsubscribe?token=${encodeURIComponent(token)}`, {
      token: null,
      body: 'List-Unsubscribe=One-Click',
      headers: ONE_CLICK,
    });
    const after = await http.get<Json>(`/customers/${customer.id}/subscriptions`);
    const history = await http.get<Json>(`/customers/${customer.id}/subscriptions/history`);

    // Assess
    expect(res.status).toBe(204);
    expect(replay.status).toBe(204);
    expect(statusOf(after.body, 'offers')).toBe('unsubscribed');
    expect(statusOf(after.body, 'newsletter')).toBe('subscribed');
    expect(history.body.items).toHaveLength(3);
    expect(history.body.items[0]).toMatchObject({
      type: 'offers',
      status: 'unsubscribed',
      previousStatus: 'subscribed',
      source: 'one-click',
      actor: { type: 'customer', id: customer.id },
      proof: { ipAddress: expect.any(String) },
    });
  });

  it.each([
    ['a changed character', (t: string) => t.slice(0, -2) + (t.endsWith('AA') ? 'BB' : 'AA')],
    ['a truncated token', (t: string) => t.slice(0, t.length - 5)],
    ['another customer in the payload', (t: string) => t.replace(/\.([^.]+)\./, '.eyJ4IjoxfQ.')],
    ['no token at all', () => ''],
  ])('answers a one-click post with %s with 400 and changes nothing', async (_what, tamper) => {
    // Prepare
    const customer = await newCustomer();
    await subscribe(customer.id, ['offers']);
    const token = tamper(await unsubscribeToken(consentDeps(), customer.id, 'offers'));

    // Act
    const res = await http.call<Json>('POST', `/unsubscribe?token=${encodeURIComponent(token)}`, {
      token: null,
      body: 'List-Unsubscribe=One-Click',
      headers: ONE_CLICK,
    });
    const after = await http.get<Json>(`/customers/${customer.id}/subscriptions`);

    // Assess
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(statusOf(after.body, 'offers')).toBe('subscribed');
  });

  it('refuses a one-click post whose body is not List-Unsubscribe=One-Click (400) or not a form (415)', async () => {
    // Prepare
    const customer = await newCustomer();
    const token = encodeURIComponent(await unsubscribeToken(consentDeps(), customer.id, 'offers'));

    // Act
    const wrongBody = await http.call('POST', `/unsubscribe?token=${token}`, {
      token: null,
      body: 'List-Unsubscribe=Yes',
      headers: ONE_CLICK,
    });
    const json = await http.call('POST', `/unsubscribe?token=${token}`, {
      token: null,
      body: { 'List-Unsubscribe': 'One-Click' },
    });

    // Assess
    expect(wrongBody.status).toBe(400);
    expect(json.status).toBe(415);
  });

  it('serves an accessible preference page with a strict CSP and saves the checked types', async () => {
    // Prepare
    const customer = await newCustomer();
    await subscribe(customer.id, ['newsletter', 'offers']);
    const token = encodeURIComponent(await unsubscribeToken(consentDeps(), customer.id, 'newsletter'));

    // Act
    const page = await http.call<string>('GET', `/unsubscribe?token=${token}`, { token: null });
    const saved = await http.call<string>('POST', `/preferences?token=${token}`, {
      token: null,
      body: 'subscribed=offers&subscribed=product_updates',
      headers: ONE_CLICK,
    });
    const after = await http.get<Json>(`/customers/${customer.id}/subscriptions`);
    const history = await http.get<Json>(`/customers/${customer.id}/subscriptions/history`);

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|script-src/);
    expect(page.body).toMatch(
      /<label for="type-newsletter"><input type="checkbox" id="type-newsletter"[^>]* checked>/,
    );
    expect(page.body).toContain('<html lang="en">');
    expect(saved.status).toBe(200);
    expect(saved.body).toContain('Your preferences are saved.');
    expect(statusOf(after.body, 'newsletter')).toBe('unsubscribed');
    expect(statusOf(after.body, 'offers')).toBe('subscribed');
    expect(statusOf(after.body, 'product_updates')).toBe('subscribed');
    // Every offered type is stated: the ones that moved or had nothing recorded get a record;
    // offers (already subscribed) records nothing.
    expect(
      history.body.items
        .slice(0, 3)
        .map((r: Json) => [r.type, r.status, r.source])
        .sort(),
    ).toEqual([
      ['events', 'unsubscribed', 'preference-page'],
      ['newsletter', 'unsubscribed', 'preference-page'],
      ['product_updates', 'subscribed', 'preference-page'],
    ]);
    expect(history.body.items).toHaveLength(5);
  });

  it('refuses an unknown type, a stale version and a type removal with clear 4xx', async () => {
    // Prepare
    const customer = await newCustomer();
    const current = await subscribe(customer.id, ['newsletter']);

    // Act
    const unknown = await http.call<Json>('PUT', `/customers/${customer.id}/subscriptions`, {
      body: { changes: [{ type: 'nope', status: 'subscribed' }] },
    });
    const stale = await http.call<Json>('PUT', `/customers/${customer.id}/subscriptions`, {
      body: { changes: [{ type: 'offers', status: 'subscribed' }], version: current.version - 1 },
    });
    const removal = await http.call<Json>('PUT', '/settings/subscription-types', {
      body: { types: TYPES.slice(1) },
    });
    const presumed = await http.call<Json>('PUT', '/settings/subscription-types', {
      body: { types: [...TYPES, { ...TYPES[0], id: 'presumed', default: 'opt_out' }] },
    });

    // Assess
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'body.changes[0].type' })]);
    expect(stale.status).toBe(412);
    expect(removal.status).toBe(400);
    expect(presumed.status).toBe(400);
    expect(presumed.body.errors).toEqual([expect.objectContaining({ path: 'body.types[4].default' })]);
  });

  it('keeps the ledger append-only: clients cannot append or edit consent_change entries', async () => {
    // Prepare
    const customer = await newCustomer();
    await subscribe(customer.id, ['newsletter']);
    const [record] = (await http.get<Json>(`/customers/${customer.id}/subscriptions/history`)).body.items;

    // Act
    const append = await http.post<Json>(`/customers/${customer.id}/timeline`, {
      type: 'consent_change',
      subscriptionType: 'newsletter',
      status: 'unsubscribed',
    });
    const edit = await http.call<Json>('PATCH', `/customers/${customer.id}/timeline/${record.id}`, {
      body: { status: 'resolved' },
      headers: { 'if-match': '"1"' },
    });
    const after = await http.get<Json>(`/customers/${customer.id}/subscriptions`);

    // Assess
    expect(append.status).toBe(400);
    expect(edit.status).toBe(400);
    expect(statusOf(after.body, 'newsletter')).toBe('subscribed');
  });

  it('answers 404 for the subscriptions of a missing customer', async () => {
    // Act
    const res = await http.get<Json>('/customers/01JZZZZZZZZZZZZZZZZZZZZZZZ/subscriptions');

    // Assess
    expect(res.status).toBe(404);
  });
});

describe('Suppression list', () => {
  it('suppresses, looks up (case-insensitive), lists and lifts an address', async () => {
    // Act
    const put = await http.call<Json>('PUT', '/suppressions/Bounced@Example.com', {
      body: { reason: 'hard_bounce' },
    });
    const found = await http.get<Json>('/suppressions?email=bounced@example.com');
    const one = await http.get<Json>('/suppressions/bounced@example.com');
    const list = await http.get<Json>('/suppressions?limit=200');
    const lifted = await http.call('DELETE', '/suppressions/bounced@example.com');
    const gone = await http.get<Json>('/suppressions/bounced@example.com');
    const liftAgain = await http.call<Json>('DELETE', '/suppressions/bounced@example.com');

    // Assess
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ email: 'bounced@example.com', reason: 'hard_bounce' });
    expect(found.body.items).toEqual([expect.objectContaining({ email: 'bounced@example.com' })]);
    expect(one.status).toBe(200);
    expect(list.body.items.map((s: Json) => s.email)).toContain('bounced@example.com');
    expect(lifted.status).toBe(204);
    expect(gone.status).toBe(404);
    expect(liftAgain.status).toBe(404);
  });

  it('refuses a malformed address and an unknown reason with field errors', async () => {
    // Act
    const address = await http.call<Json>('PUT', '/suppressions/not-an-address', {
      body: { reason: 'manual' },
    });
    const reason = await http.call<Json>('PUT', '/suppressions/a@example.com', {
      body: { reason: 'because' },
    });

    // Assess
    expect(address.status).toBe(400);
    expect(address.body.errors).toEqual([expect.objectContaining({ path: 'path.email' })]);
    expect(reason.status).toBe(400);
    expect(reason.body.errors).toEqual([expect.objectContaining({ path: 'body.reason' })]);
  });
});
