/**
 * The authorization matrix: every route of the manifest × every role × the state of the object
 * the route acts on, against the local API Gateway on DynamoDB Local with real signed tokens.
 *
 * The EXPECTATION TABLE below is written by hand from the README role table ("Auth") and the
 * ownership rules in docs/architecture.md ("Ownership"), never computed from `shared/auth/roles.ts`
 * or `shared/domain/policy.ts` — a wrong policy must disagree with it. A route added to the
 * manifest without a row fails here (and does not type-check).
 *
 * Object states: `own` (owned by the caller), `foreign` (owned by another user), `unowned` (no
 * owner), `missing` (no such id); collection routes have none (`n/a`). Everyone who may call a
 * route may read the object, so a foreign object is never hidden: changing it is 403, not 404.
 * A missing object is 404 to a role the route admits for some owner state, and 403 to a role it
 * never admits (the route scope is checked before any record is read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Role, roles } from '#shared/auth/roles';
import { type RouteId, routes } from '#shared/routes';
import { apiClient } from './support/api-client.ts';
import { startTestApi, type TestApi, useTestTable } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

type State = 'own' | 'foreign' | 'unowned';
/** `ok`: the route's documented success status; 403: refused (role or ownership). */
type Outcome = 'ok' | 403;
/** One outcome for every object state, or one per state (routes that check the owner). */
type Cell = Outcome | Record<State, Outcome>;
interface Row {
  /** Collection routes act on no existing object. */
  target: 'collection' | 'object';
  expect: Record<Role, Cell>;
}

// Shorthands for the hand-written table.
const OK = 'ok' as const;
const NO = 403 as const;
/** Change rule for non-admins: own or unowned records, never another owner's. */
const CHANGE_OWN_OR_UNOWNED: Cell = { own: OK, foreign: NO, unowned: OK };
/** Delete/restore rule for non-admins: only records they own (an unowned one is an admin's). */
const DELETE_OWN_ONLY: Cell = { own: OK, foreign: NO, unowned: NO };
const everyone = (outcome: Outcome): Record<Role, Cell> => ({
  admin: outcome,
  sales: outcome,
  support: outcome,
  marketing: outcome,
  analyst: outcome,
});
const adminOnly: Record<Role, Cell> = { admin: OK, sales: NO, support: NO, marketing: NO, analyst: NO };

/**
 * README, "Auth": admin everything; sales read/write customers, timeline, companies and delete +
 * restore what they own; support read + timeline writes; marketing read + write customers and
 * companies, no deletes; analyst read only. Settings writes, webhooks, privacy and audit: admin.
 */
const EXPECTATIONS: Record<RouteId, Row> = {
  // customers
  createCustomer: {
    target: 'collection',
    expect: { admin: OK, sales: OK, support: NO, marketing: OK, analyst: NO },
  },
  listCustomers: { target: 'collection', expect: everyone(OK) },
  getCustomer: { target: 'object', expect: everyone(OK) },
  updateCustomer: {
    target: 'object',
    expect: {
      admin: OK,
      sales: CHANGE_OWN_OR_UNOWNED,
      support: NO,
      marketing: CHANGE_OWN_OR_UNOWNED,
      analyst: NO,
    },
  },
  deleteCustomer: {
    target: 'object',
    expect: { admin: OK, sales: DELETE_OWN_ONLY, support: NO, marketing: NO, analyst: NO },
  },
  restoreCustomer: {
    target: 'object',
    expect: { admin: OK, sales: DELETE_OWN_ONLY, support: NO, marketing: NO, analyst: NO },
  },
  eraseCustomer: { target: 'object', expect: adminOnly },
  getErasureStatus: { target: 'object', expect: adminOnly },
  exportCustomer: { target: 'object', expect: adminOnly },
  getCustomerView: { target: 'object', expect: everyone(OK) },
  // timeline: shared work on a customer, not owned (docs/architecture.md, "Ownership")
  listTimeline: { target: 'object', expect: everyone(OK) },
  appendTimelineEntry: {
    target: 'object',
    expect: { admin: OK, sales: OK, support: OK, marketing: NO, analyst: NO },
  },
  getTimelineEntry: { target: 'object', expect: everyone(OK) },
  updateTimelineEntry: {
    target: 'object',
    expect: { admin: OK, sales: OK, support: OK, marketing: NO, analyst: NO },
  },
  // settings
  getAttributeDefinitions: { target: 'collection', expect: everyone(OK) },
  putAttributeDefinitions: { target: 'collection', expect: adminOnly },
  // companies
  createCompany: {
    target: 'collection',
    expect: { admin: OK, sales: OK, support: NO, marketing: OK, analyst: NO },
  },
  listCompanies: { target: 'collection', expect: everyone(OK) },
  getCompany: { target: 'object', expect: everyone(OK) },
  updateCompany: {
    target: 'object',
    expect: {
      admin: OK,
      sales: CHANGE_OWN_OR_UNOWNED,
      support: NO,
      marketing: CHANGE_OWN_OR_UNOWNED,
      analyst: NO,
    },
  },
  deleteCompany: {
    target: 'object',
    expect: { admin: OK, sales: DELETE_OWN_ONLY, support: NO, marketing: NO, analyst: NO },
  },
  restoreCompany: {
    target: 'object',
    expect: { admin: OK, sales: DELETE_OWN_ONLY, support: NO, marketing: NO, analyst: NO },
  },
  listCompanyContacts: { target: 'object', expect: everyone(OK) },
  // webhooks (subscriptions carry secrets) and the audit log (names staff): admin only
  createWebhook: { target: 'collection', expect: adminOnly },
  listWebhooks: { target: 'collection', expect: adminOnly },
  getWebhook: { target: 'object', expect: adminOnly },
  deleteWebhook: { target: 'object', expect: adminOnly },
  listWebhookDeliveries: { target: 'object', expect: adminOnly },
  listAudit: { target: 'collection', expect: adminOnly },
  // system: public
  health: { target: 'collection', expect: everyone(OK) },
  openapi: { target: 'collection', expect: everyone(OK) },
  docs: { target: 'collection', expect: everyone(OK) },
  docsAsset: { target: 'collection', expect: everyone(OK) },
};

let api: TestApi;
let http: ReturnType<typeof apiClient>;
let n = 0;

/** Each role's test user, and the "another user" who owns foreign objects. */
const subOf = (role: Role): string => `matrix-${role}-user`;
const OTHER_USER = 'matrix-another-user';
const ownerFor = (role: Role, state: State | undefined): string | undefined =>
  state === 'own' ? subOf(role) : state === 'foreign' ? OTHER_USER : undefined;

const asAdmin = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
  const res = await http.call<Json>(method, path, {
    role: 'admin',
    sub: 'matrix-setup-admin',
    body,
    headers,
  });
  if (res.status >= 300)
    throw new Error(`setup ${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

/** Objects are created by an admin (only admins assign owners), fresh for every cell. */
const newCustomer = (ownerId: string | undefined) =>
  asAdmin('POST', '/customers', { firstName: 'Matrix', lastName: `Person ${++n}`, ownerId });
const newCompany = (ownerId: string | undefined) =>
  asAdmin('POST', '/companies', { name: `Matrix Company ${++n}`, ownerId });
const binned = async (make: () => Promise<Json>, collection: string) => {
  const record = await make();
  await asAdmin('DELETE', `/${collection}/${record.id}`, undefined, ifMatch(record.version));
  return record;
};
const newWebhook = () =>
  asAdmin('POST', '/webhooks', { url: 'https://hooks.example.com/matrix', eventTypes: ['customer.created'] });

interface Call {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** How to call each route for a role and object state (arranging the object first). */
const requests: Record<RouteId, (role: Role, state: State | undefined) => Promise<Call>> = {
  createCustomer: async () => ({
    method: 'POST',
    path: '/customers',
    body: { firstName: 'New', lastName: `Customer ${++n}` },
  }),
  listCustomers: async () => ({ method: 'GET', path: '/customers' }),
  getCustomer: async (role, state) => ({
    method: 'GET',
    path: `/customers/${(await newCustomer(ownerFor(role, state))).id}`,
  }),
  updateCustomer: async (role, state) => {
    const c = await newCustomer(ownerFor(role, state));
    return {
      method: 'PATCH',
      path: `/customers/${c.id}`,
      body: { jobTitle: 'Edited' },
      headers: ifMatch(c.version),
    };
  },
  deleteCustomer: async (role, state) => {
    const c = await newCustomer(ownerFor(role, state));
    return { method: 'DELETE', path: `/customers/${c.id}`, headers: ifMatch(c.version) };
  },
  restoreCustomer: async (role, state) => {
    const c = await binned(() => newCustomer(ownerFor(role, state)), 'customers');
    return { method: 'POST', path: `/customers/${c.id}/restore` };
  },
  eraseCustomer: async (role, state) => ({
    method: 'POST',
    path: `/customers/${(await newCustomer(ownerFor(role, state))).id}/erase`,
    body: { reason: 'data_subject_request' },
  }),
  getErasureStatus: async (role, state) => {
    const c = await newCustomer(ownerFor(role, state));
    await asAdmin('POST', `/customers/${c.id}/erase`, { reason: 'data_subject_request' });
    return { method: 'GET', path: `/customers/${c.id}/erasure` };
  },
  exportCustomer: async (role, state) => ({
    method: 'GET',
    path: `/customers/${(await newCustomer(ownerFor(role, state))).id}/export`,
  }),
  getCustomerView: async (role, state) => ({
    method: 'GET',
    path: `/customers/${(await newCustomer(ownerFor(role, state))).id}/view`,
  }),
  listTimeline: async (role, state) => ({
    method: 'GET',
    path: `/customers/${(await newCustomer(ownerFor(role, state))).id}/timeline`,
  }),
  appendTimelineEntry: async (role, state) => ({
    method: 'POST',
    path: `/customers/${(await newCustomer(ownerFor(role, state))).id}/timeline`,
    body: { type: 'note', body: 'Called back' },
  }),
  getTimelineEntry: async (role, state) => {
    const c = await newCustomer(ownerFor(role, state));
    const entry = await asAdmin('POST', `/customers/${c.id}/timeline`, { type: 'note', body: 'A note' });
    return { method: 'GET', path: `/customers/${c.id}/timeline/${entry.id}` };
  },
  updateTimelineEntry: async (role, state) => {
    const c = await newCustomer(ownerFor(role, state));
    const entry = await asAdmin('POST', `/customers/${c.id}/timeline`, {
      type: 'complaint',
      severity: 'low',
      channel: 'email',
      subject: 'Late parcel',
    });
    return {
      method: 'PATCH',
      path: `/customers/${c.id}/timeline/${entry.id}`,
      body: { status: 'resolved' },
      headers: ifMatch(1),
    };
  },
  getAttributeDefinitions: async () => ({ method: 'GET', path: '/settings/customer-attributes' }),
  putAttributeDefinitions: async () => ({
    method: 'PUT',
    path: '/settings/customer-attributes',
    body: { definitions: [{ name: `matrix${++n}`, type: 'string' }] },
  }),
  createCompany: async () => ({ method: 'POST', path: '/companies', body: { name: `New Company ${++n}` } }),
  listCompanies: async () => ({ method: 'GET', path: '/companies' }),
  getCompany: async (role, state) => ({
    method: 'GET',
    path: `/companies/${(await newCompany(ownerFor(role, state))).id}`,
  }),
  updateCompany: async (role, state) => {
    const c = await newCompany(ownerFor(role, state));
    return {
      method: 'PATCH',
      path: `/companies/${c.id}`,
      body: { industry: 'Edited' },
      headers: ifMatch(c.version),
    };
  },
  deleteCompany: async (role, state) => {
    const c = await newCompany(ownerFor(role, state));
    return { method: 'DELETE', path: `/companies/${c.id}`, headers: ifMatch(c.version) };
  },
  restoreCompany: async (role, state) => {
    const c = await binned(() => newCompany(ownerFor(role, state)), 'companies');
    return { method: 'POST', path: `/companies/${c.id}/restore` };
  },
  listCompanyContacts: async (role, state) => ({
    method: 'GET',
    path: `/companies/${(await newCompany(ownerFor(role, state))).id}/contacts`,
  }),
  createWebhook: async () => ({
    method: 'POST',
    path: '/webhooks',
    body: { url: 'https://hooks.example.com/new', eventTypes: ['company.created'] },
  }),
  listWebhooks: async () => ({ method: 'GET', path: '/webhooks' }),
  getWebhook: async () => ({ method: 'GET', path: `/webhooks/${(await newWebhook()).id}` }),
  deleteWebhook: async () => {
    const hook = await newWebhook();
    return { method: 'DELETE', path: `/webhooks/${hook.id}`, headers: ifMatch(hook.version) };
  },
  listWebhookDeliveries: async () => ({
    method: 'GET',
    path: `/webhooks/${(await newWebhook()).id}/deliveries`,
  }),
  listAudit: async () => ({ method: 'GET', path: `/audit?actor=${OTHER_USER}` }),
  health: async () => ({ method: 'GET', path: '/health' }),
  openapi: async () => ({ method: 'GET', path: '/openapi.json' }),
  docs: async () => ({ method: 'GET', path: '/docs' }),
  docsAsset: async () => ({ method: 'GET', path: '/docs/assets/swagger-ui.css' }),
};

type CellState = State | 'missing';
const states: readonly CellState[] = ['own', 'foreign', 'unowned', 'missing'];
/** The expected status of a cell: the route's success status, 403, or 404 (missing object). */
const statusOf = (cell: Cell, state: CellState | undefined, success: number): number => {
  if (state === 'missing') {
    const admitted = typeof cell === 'object' ? Object.values(cell).includes(OK) : cell === OK;
    return admitted ? 404 : 403;
  }
  const outcome = typeof cell === 'object' ? cell[state ?? 'unowned'] : cell;
  return outcome === OK ? success : 403;
};
/** An id no record has (valid ULID). */
const MISSING_ID = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
/** The same request with its object (the first id in the path) replaced by a missing one. */
const onMissing = (call: Call): Call => {
  const path = call.path.replace(/^\/(customers|companies|webhooks)\/[0-9A-Z]{26}/, `/$1/${MISSING_ID}`);
  if (path === call.path) throw new Error(`no object id in ${call.path}`);
  return { ...call, path };
};

beforeAll(async () => {
  await useTestTable('authorization-matrix');
  api = await startTestApi();
  http = apiClient(api);
});

afterAll(async () => {
  await api?.close();
});

describe('Authorization matrix', () => {
  it('has a hand-written row for every route of the manifest, and none for a route that does not exist', () => {
    // Prepare
    const manifest = routes.map((route) => route.id).sort();

    // Act
    const table = Object.keys(EXPECTATIONS).sort();

    // Assess
    expect(table).toEqual(manifest);
    for (const route of routes) {
      const row = EXPECTATIONS[route.id];
      expect(row.target, route.id).toBe(route.path.includes('{id}') ? 'object' : 'collection');
      expect(Object.keys(row.expect).sort(), route.id).toEqual([...roles].sort());
    }
  });

  for (const route of routes) {
    const row = EXPECTATIONS[route.id];
    const cellStates = row.target === 'object' ? states : [undefined];
    describe(`${route.method} ${route.path} (${route.id})`, () => {
      for (const role of roles) {
        for (const state of cellStates) {
          const expected = statusOf(row.expect[role], state, route.response.status);
          it(`${role} on ${state ?? 'n/a'} → ${expected}`, async () => {
            // Prepare
            const call =
              state === 'missing'
                ? onMissing(await requests[route.id](role, 'unowned'))
                : await requests[route.id](role, state);

            // Act
            const res = await http.call<Json>(call.method, call.path, {
              role,
              sub: subOf(role),
              body: call.body,
              headers: { 'idempotency-key': `matrix-${++n}`, ...call.headers },
            });

            // Assess
            expect(res.status, JSON.stringify(res.body)).toBe(expected);
            if (expected >= 400) expect(res.headers.get('content-type')).toMatch(/problem\+json/);
          });
        }
      }
    });
  }

  it('answers 401 without a token on every route but the public ones', async () => {
    // Prepare
    const protectedRoutes = routes.filter((route) => route.scope !== null);

    // Act
    const statuses = await Promise.all(
      protectedRoutes.map(async (route) => {
        const call = await requests[route.id]('admin', 'unowned');
        const res = await http.call(call.method, call.path, {
          token: null,
          body: call.body,
          headers: call.headers,
        });
        return [route.id, res.status] as const;
      }),
    );

    // Assess
    expect(statuses.filter(([, status]) => status !== 401)).toEqual([]);
    expect(protectedRoutes.length).toBeGreaterThan(0);
  });

  it.each([
    ['an edit of', 'PATCH', 'customers', { jobTitle: 'Edited' }],
    ['a delete of', 'DELETE', 'customers', undefined],
    ['an edit of', 'PATCH', 'companies', { industry: 'Edited' }],
    ['a delete of', 'DELETE', 'companies', undefined],
    ['claiming', 'PATCH', 'customers', { ownerId: 'matrix-sales-user' }],
  ] as const)(
    'refuses %s another owner’s record (%s /%s) with 403 even under a stale If-Match (RFC 9110 §13.2.1)',
    async (_what, method, collection, body) => {
      // Prepare
      const record = await (collection === 'customers' ? newCustomer : newCompany)(OTHER_USER);
      const path = `/${collection}/${record.id}`;

      // Act
      const res = await http.call<Json>(method, path, {
        role: 'sales',
        sub: subOf('sales'),
        body,
        headers: ifMatch(record.version + 7),
      });

      // Assess
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect((await http.get<Json>(path)).body.version).toBe(record.version);
    },
  );

  it('refuses a non-admin naming an owner with 403 even under a stale If-Match, on a record they may edit', async () => {
    // Prepare
    const record = await newCustomer(undefined);

    // Act
    const res = await http.patch<Json>(
      `/customers/${record.id}`,
      { ownerId: subOf('marketing') },
      { role: 'marketing', sub: subOf('marketing'), headers: ifMatch(record.version + 7) },
    );

    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(403);
  });

  it('keeps an unowned customer and company unowned when a non-admin edits them (only admins assign owners)', async () => {
    // Prepare
    const customer = await newCustomer(undefined);
    const company = await newCompany(undefined);

    // Act
    const editedCustomer = await http.patch<Json>(
      `/customers/${customer.id}`,
      { jobTitle: 'Edited by sales' },
      { role: 'sales', sub: subOf('sales'), headers: ifMatch(customer.version) },
    );
    const editedCompany = await http.patch<Json>(
      `/companies/${company.id}`,
      { industry: 'Edited by marketing' },
      { role: 'marketing', sub: subOf('marketing'), headers: ifMatch(company.version) },
    );
    const claimed = await http.patch<Json>(
      `/customers/${customer.id}`,
      { ownerId: subOf('sales') },
      { role: 'sales', sub: subOf('sales'), headers: ifMatch(editedCustomer.body.version) },
    );

    // Assess
    expect(editedCustomer.status).toBe(200);
    expect(editedCustomer.body.ownerId).toBeUndefined();
    expect(editedCompany.status).toBe(200);
    expect(editedCompany.body.ownerId).toBeUndefined();
    expect(claimed.status).toBe(403);
    expect((await http.get<Json>(`/customers/${customer.id}`)).body.ownerId).toBeUndefined();
  });
});
