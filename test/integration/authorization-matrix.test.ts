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
import { type LocalSes, startLocalSes } from '#infra/local/ses';
import { type Role, roles } from '#shared/auth/roles';
import { consentDeps } from '#shared/deps';
import { unsubscribeToken } from '#shared/domain/consent/service';
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
/** Marketing audience writes (templates, segments): marketing and admin; not owned. */
const AUDIENCE_WRITE: Record<Role, Cell> = { admin: OK, sales: NO, support: NO, marketing: OK, analyst: NO };
/** Rows customers and companies share (README, "Auth"; docs/architecture.md, "Ownership"). */
const CREATE: Row = {
  target: 'collection',
  expect: { admin: OK, sales: OK, support: NO, marketing: OK, analyst: NO },
};
const CHANGE: Row = {
  target: 'object',
  expect: {
    admin: OK,
    sales: CHANGE_OWN_OR_UNOWNED,
    support: NO,
    marketing: CHANGE_OWN_OR_UNOWNED,
    analyst: NO,
  },
};
/** Deleting (to the recycle bin) and restoring: sales their own, marketing never. */
const BIN: Row = {
  target: 'object',
  expect: { admin: OK, sales: DELETE_OWN_ONLY, support: NO, marketing: NO, analyst: NO },
};
/** Timeline writes: shared work on a customer, not owned. */
const TIMELINE_WRITE: Row = {
  target: 'object',
  expect: { admin: OK, sales: OK, support: OK, marketing: NO, analyst: NO },
};

/**
 * README, "Auth": admin everything; sales read/write customers, timeline, companies and delete +
 * restore what they own; support read + timeline writes; marketing read + write customers and
 * companies, no deletes; analyst read only. Settings writes, webhooks, privacy and audit: admin.
 */
const EXPECTATIONS: Record<RouteId, Row> = {
  // customers
  createCustomer: CREATE,
  listCustomers: { target: 'collection', expect: everyone(OK) },
  getCustomer: { target: 'object', expect: everyone(OK) },
  updateCustomer: CHANGE,
  deleteCustomer: BIN,
  restoreCustomer: BIN,
  eraseCustomer: { target: 'object', expect: adminOnly },
  getErasureStatus: { target: 'object', expect: adminOnly },
  exportCustomer: { target: 'object', expect: adminOnly },
  getCustomerView: { target: 'object', expect: everyone(OK) },
  // timeline: shared work on a customer, not owned (docs/architecture.md, "Ownership")
  listTimeline: { target: 'object', expect: everyone(OK) },
  appendTimelineEntry: TIMELINE_WRITE,
  getTimelineEntry: { target: 'object', expect: everyone(OK) },
  updateTimelineEntry: TIMELINE_WRITE,
  // settings
  getAttributeDefinitions: { target: 'collection', expect: everyone(OK) },
  putAttributeDefinitions: { target: 'collection', expect: adminOnly },
  // companies
  createCompany: CREATE,
  listCompanies: { target: 'collection', expect: everyone(OK) },
  getCompany: { target: 'object', expect: everyone(OK) },
  updateCompany: CHANGE,
  deleteCompany: BIN,
  restoreCompany: BIN,
  listCompanyContacts: { target: 'object', expect: everyone(OK) },
  // consent: every role reads types and a customer's subscriptions; changing them follows the
  // profile's change rule; types are settings (admin); the suppression list is admin only; the
  // token-bound public links answer anyone holding a valid token
  getSubscriptionTypes: { target: 'collection', expect: everyone(OK) },
  putSubscriptionTypes: { target: 'collection', expect: adminOnly },
  getSubscriptions: { target: 'object', expect: everyone(OK) },
  putSubscriptions: CHANGE,
  listConsentHistory: { target: 'object', expect: everyone(OK) },
  listSuppressions: { target: 'collection', expect: adminOnly },
  getSuppression: { target: 'collection', expect: adminOnly },
  putSuppression: { target: 'collection', expect: adminOnly },
  deleteSuppression: { target: 'collection', expect: adminOnly },
  unsubscribeOneClick: { target: 'collection', expect: everyone(OK) },
  preferencePage: { target: 'collection', expect: everyone(OK) },
  savePreferences: { target: 'collection', expect: everyone(OK) },
  // templates: not owned; marketing and admin write, everyone reads and previews (sample data)
  createTemplate: { target: 'collection', expect: AUDIENCE_WRITE },
  listTemplates: { target: 'collection', expect: everyone(OK) },
  getTemplate: { target: 'object', expect: everyone(OK) },
  updateTemplate: { target: 'object', expect: AUDIENCE_WRITE },
  deleteTemplate: { target: 'object', expect: AUDIENCE_WRITE },
  getTemplateVersion: { target: 'object', expect: everyone(OK) },
  previewTemplate: { target: 'object', expect: everyone(OK) },
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
let ses: LocalSes | undefined;
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
/** Webhooks have no owner. */
const newWebhook = () =>
  asAdmin('POST', '/webhooks', { url: 'https://hooks.example.com/matrix', eventTypes: ['customer.created'] });
/** Templates have no owner. */
const templateBody = () => ({
  name: `Matrix template ${++n}`,
  kind: 'transactional',
  subject: 'Hello {{firstName}}',
  html: '<p>Hello {{firstName}}</p>',
  text: 'Hello {{firstName}}',
});
const newTemplate = () => asAdmin('POST', '/templates', templateBody());
const makers = {
  customers: newCustomer,
  companies: newCompany,
  webhooks: newWebhook,
  templates: newTemplate,
} as const;
type Collection = keyof typeof makers;

interface Call {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

type Arrange = (role: Role, state: State | undefined) => Promise<Call>;

interface OnRecord {
  /** After `/<collection>/<id>`; a function arranges more (e.g. a timeline entry) and returns it. */
  suffix?: string | ((record: Json) => Promise<string>);
  body?: unknown;
  /** `If-Match` with the record's version. */
  versioned?: boolean;
  headers?: Record<string, string>;
  /** Arranged on the record before the call (e.g. bin it, request its erasure). */
  before?: (record: Json, path: string) => Promise<unknown>;
}

/** A call on a fresh record of `collection` owned as the cell says. */
const onRecord =
  (collection: Collection, method: string, options: OnRecord = {}): Arrange =>
  async (role, state) => {
    const record = await makers[collection](ownerFor(role, state));
    const path = `/${collection}/${record.id}`;
    await options.before?.(record, path);
    const suffix =
      typeof options.suffix === 'function' ? await options.suffix(record) : (options.suffix ?? '');
    const headers = { ...(options.versioned ? ifMatch(record.version) : {}), ...options.headers };
    return {
      method,
      path: `${path}${suffix}`,
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    };
  };
/** A call that needs no existing record. */
const fixed =
  (method: string, path: string, body?: () => unknown): Arrange =>
  async () => ({ method, path, ...(body ? { body: body() } : {}) });
const binFirst = (record: Json, path: string) => asAdmin('DELETE', path, undefined, ifMatch(record.version));
const timelineEntry = (body: Json) => async (customer: Json) =>
  `/timeline/${(await asAdmin('POST', `/customers/${customer.id}/timeline`, body)).id}`;

/** The subscription type the consent rows use (configured once, in `beforeAll`). */
const NEWSLETTER = {
  id: 'newsletter',
  name: 'Newsletter',
  purpose: 'Monthly news',
  default: 'opt_in',
  legalBasis: 'consent',
} as const;
/** A fresh suppressed address (the admin suppresses it first). */
const suppressed = async (): Promise<string> => {
  const email = `matrix-${++n}@example.com`;
  await asAdmin('PUT', `/suppressions/${email}`, { reason: 'manual' });
  return email;
};
/** A signed link token of a fresh customer, as a marketing email carries it. */
const linkToken = async (): Promise<string> => {
  const customer = await newCustomer(undefined);
  return encodeURIComponent(await unsubscribeToken(consentDeps(), customer.id, NEWSLETTER.id));
};

/** How to call each route for a role and object state (arranging the object first). */
const requests: Record<RouteId, Arrange> = {
  createCustomer: fixed('POST', '/customers', () => ({ firstName: 'New', lastName: `Customer ${++n}` })),
  listCustomers: fixed('GET', '/customers'),
  getCustomer: onRecord('customers', 'GET'),
  updateCustomer: onRecord('customers', 'PATCH', { body: { jobTitle: 'Edited' }, versioned: true }),
  deleteCustomer: onRecord('customers', 'DELETE', { versioned: true }),
  restoreCustomer: onRecord('customers', 'POST', { suffix: '/restore', before: binFirst }),
  eraseCustomer: onRecord('customers', 'POST', {
    suffix: '/erase',
    body: { reason: 'data_subject_request' },
  }),
  getErasureStatus: onRecord('customers', 'GET', {
    suffix: '/erasure',
    before: (_record, path) => asAdmin('POST', `${path}/erase`, { reason: 'data_subject_request' }),
  }),
  exportCustomer: onRecord('customers', 'GET', { suffix: '/export' }),
  getCustomerView: onRecord('customers', 'GET', { suffix: '/view' }),
  listTimeline: onRecord('customers', 'GET', { suffix: '/timeline' }),
  appendTimelineEntry: onRecord('customers', 'POST', {
    suffix: '/timeline',
    body: { type: 'note', body: 'Called back' },
  }),
  getTimelineEntry: onRecord('customers', 'GET', { suffix: timelineEntry({ type: 'note', body: 'A note' }) }),
  updateTimelineEntry: onRecord('customers', 'PATCH', {
    suffix: timelineEntry({ type: 'complaint', severity: 'low', channel: 'email', subject: 'Late parcel' }),
    body: { status: 'resolved' },
    headers: ifMatch(1),
  }),
  getAttributeDefinitions: fixed('GET', '/settings/customer-attributes'),
  putAttributeDefinitions: fixed('PUT', '/settings/customer-attributes', () => ({
    definitions: [{ name: `matrix${++n}`, type: 'string' }],
  })),
  createCompany: fixed('POST', '/companies', () => ({ name: `New Company ${++n}` })),
  listCompanies: fixed('GET', '/companies'),
  getCompany: onRecord('companies', 'GET'),
  updateCompany: onRecord('companies', 'PATCH', { body: { industry: 'Edited' }, versioned: true }),
  deleteCompany: onRecord('companies', 'DELETE', { versioned: true }),
  restoreCompany: onRecord('companies', 'POST', { suffix: '/restore', before: binFirst }),
  listCompanyContacts: onRecord('companies', 'GET', { suffix: '/contacts' }),
  getSubscriptionTypes: fixed('GET', '/settings/subscription-types'),
  putSubscriptionTypes: async () => {
    const current = (await asAdmin('GET', '/settings/subscription-types')).types as Json[];
    return {
      method: 'PUT',
      path: '/settings/subscription-types',
      body: { types: [...current, { ...NEWSLETTER, id: `matrix_${++n}` }] },
    };
  },
  getSubscriptions: onRecord('customers', 'GET', { suffix: '/subscriptions' }),
  putSubscriptions: onRecord('customers', 'PUT', {
    suffix: '/subscriptions',
    body: { changes: [{ type: NEWSLETTER.id, status: 'subscribed' }] },
  }),
  listConsentHistory: onRecord('customers', 'GET', { suffix: '/subscriptions/history' }),
  listSuppressions: fixed('GET', '/suppressions'),
  getSuppression: async () => ({ method: 'GET', path: `/suppressions/${await suppressed()}` }),
  putSuppression: fixed('PUT', `/suppressions/matrix-put@example.com`, () => ({ reason: 'manual' })),
  deleteSuppression: async () => ({ method: 'DELETE', path: `/suppressions/${await suppressed()}` }),
  unsubscribeOneClick: async () => ({
    method: 'POST',
    path: `/unsubscribe?token=${await linkToken()}`,
    body: 'List-Unsubscribe=One-Click',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }),
  preferencePage: async () => ({ method: 'GET', path: `/unsubscribe?token=${await linkToken()}` }),
  savePreferences: async () => ({
    method: 'POST',
    path: `/preferences?token=${await linkToken()}`,
    body: `subscribed=${NEWSLETTER.id}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }),
  createWebhook: fixed('POST', '/webhooks', () => ({
    url: 'https://hooks.example.com/new',
    eventTypes: ['company.created'],
  })),
  listWebhooks: fixed('GET', '/webhooks'),
  getWebhook: onRecord('webhooks', 'GET'),
  deleteWebhook: onRecord('webhooks', 'DELETE', { versioned: true }),
  listWebhookDeliveries: onRecord('webhooks', 'GET', { suffix: '/deliveries' }),
  createTemplate: fixed('POST', '/templates', templateBody),
  listTemplates: fixed('GET', '/templates'),
  getTemplate: onRecord('templates', 'GET'),
  updateTemplate: onRecord('templates', 'PATCH', { body: { subject: 'Hi {{firstName}}' }, versioned: true }),
  deleteTemplate: onRecord('templates', 'DELETE', { versioned: true }),
  getTemplateVersion: onRecord('templates', 'GET', { suffix: '/versions/1' }),
  previewTemplate: onRecord('templates', 'POST', {
    suffix: '/preview',
    body: { data: { firstName: 'Ada' } },
  }),
  listAudit: fixed('GET', `/audit?actor=${OTHER_USER}`),
  health: fixed('GET', '/health'),
  openapi: fixed('GET', '/openapi.json'),
  docs: fixed('GET', '/docs'),
  docsAsset: fixed('GET', '/docs/assets/swagger-ui.css'),
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
  const path = call.path.replace(
    /^\/(customers|companies|webhooks|templates)\/[0-9A-Z]{26}/,
    `/$1/${MISSING_ID}`,
  );
  if (path === call.path) throw new Error(`no object id in ${call.path}`);
  return { ...call, path };
};

beforeAll(async () => {
  await useTestTable('authorization-matrix');
  // Local SES: template writes create SES templates.
  ses = await startLocalSes();
  api = await startTestApi();
  http = apiClient(api);
  await asAdmin('PUT', '/settings/subscription-types', { types: [NEWSLETTER] });
});

afterAll(async () => {
  await api?.close();
  await ses?.stop();
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

  interface Refusal {
    what: string;
    record: string;
    method: string;
    collection: 'customers' | 'companies';
    body?: Json;
    role: Role;
    owner: string | undefined;
  }
  /** A change a sales user may not make to another owner's record. */
  const onForeign = (
    what: string,
    method: string,
    collection: Refusal['collection'],
    body?: Json,
  ): Refusal => ({
    what,
    record: 'another owner’s record',
    method,
    collection,
    ...(body ? { body } : {}),
    role: 'sales',
    owner: OTHER_USER,
  });
  it.each<Refusal>([
    onForeign('an edit of', 'PATCH', 'customers', { jobTitle: 'Edited' }),
    onForeign('a delete of', 'DELETE', 'customers'),
    onForeign('an edit of', 'PATCH', 'companies', { industry: 'Edited' }),
    onForeign('a delete of', 'DELETE', 'companies'),
    onForeign('claiming', 'PATCH', 'customers', { ownerId: subOf('sales') }),
    {
      what: 'naming an owner on',
      record: 'a record they may edit',
      method: 'PATCH',
      collection: 'customers',
      body: { ownerId: subOf('marketing') },
      role: 'marketing',
      owner: undefined,
    },
  ])(
    'refuses $what $record ($method /$collection, $role) with 403 even under a stale If-Match (RFC 9110 §13.2.1)',
    async ({ method, collection, body, role, owner }) => {
      // Prepare
      const record = await makers[collection](owner);
      const path = `/${collection}/${record.id}`;

      // Act
      const res = await http.call<Json>(method, path, {
        role,
        sub: subOf(role),
        body,
        headers: ifMatch(record.version + 7),
      });

      // Assess
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect((await http.get<Json>(path)).body.version).toBe(record.version);
    },
  );

  it.each([
    { collection: 'customers', role: 'sales', edit: { jobTitle: 'Edited by sales' } },
    { collection: 'companies', role: 'marketing', edit: { industry: 'Edited by marketing' } },
  ] as const)(
    'keeps an unowned record of $collection unowned when $role edits it (only admins assign owners)',
    async ({ collection, role, edit }) => {
      // Prepare
      const record = await makers[collection](undefined);
      const path = `/${collection}/${record.id}`;
      const as = { role, sub: subOf(role) };

      // Act
      const edited = await http.patch<Json>(path, edit, { ...as, headers: ifMatch(record.version) });
      const claimed = await http.patch<Json>(
        path,
        { ownerId: subOf(role) },
        { ...as, headers: ifMatch(edited.body.version) },
      );

      // Assess
      expect(edited.status).toBe(200);
      expect(edited.body.ownerId).toBeUndefined();
      expect(claimed.status).toBe(403);
      expect((await http.get<Json>(path)).body.ownerId).toBeUndefined();
    },
  );
});
