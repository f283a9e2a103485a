/**
 * Issue 4's acceptance, end to end on the local cloud with the same function code as AWS:
 * HTTP → area function → DynamoDB Local → table stream → `publish-domain-events` (real
 * EventBridgeClient) → local bus → rules of `events/rules.ts` → targets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerCreated } from '#events/customers/customer-created';
import type { RuleDef } from '#events/rules';
import { timelineEntryAdded } from '#events/timeline/timeline-entry-added';
import type { BusEvent } from '#infra/local/eventbridge';
import { apiClient } from './support/api-client.ts';
import { startTestCloud, type TestCloud } from './support/local-cloud.ts';

// biome-ignore lint/suspicious/noExplicitAny: responses are navigated freely in assertions
type Json = Record<string, any>;

const CAPTURE = 'test-capture-customer-created';
const captureRule: RuleDef = {
  name: CAPTURE,
  description: 'test target: every customer.created',
  pattern: { source: [customerCreated.source], 'detail-type': [customerCreated.detailType] },
  target: { kind: 'lambda', handler: 'test/capture' },
};

let cloud: TestCloud;
let http: ReturnType<typeof apiClient>;
const captured: BusEvent[] = [];

beforeAll(async () => {
  cloud = await startTestCloud({
    tableName: 'events-e2e',
    extraRules: [captureRule],
    targets: { [CAPTURE]: (event) => void captured.push(event) },
  });
  if (!cloud.api) throw new Error('the test cloud has no API');
  http = apiClient(cloud.api);
});

afterAll(async () => {
  await cloud?.close();
});

const createCustomer = async (): Promise<Json> => {
  const res = await http.post<Json>('/customers', {
    firstName: 'Grace',
    lastName: 'Hopper',
    emails: [{ address: `grace.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com` }],
  });
  expect(res.status).toBe(201);
  return res.body;
};

describe('Events end to end (issue 4)', () => {
  it('a customer created over HTTP reaches a rule target as a schema-valid customer.created within seconds', async () => {
    // Prepare
    const startedAt = Date.now();

    // Act
    const customer = await createCustomer();
    const recorded = await cloud.bus.waitFor(
      (r) =>
        r.event['detail-type'] === customerCreated.detailType &&
        r.event.detail.customerId === customer.id &&
        r.deliveries.find((d) => d.rule === CAPTURE)?.status === 'succeeded',
      5_000,
    );
    const elapsedMs = Date.now() - startedAt;

    // Assess
    expect(elapsedMs).toBeLessThan(5_000);
    expect(recorded.event.source).toBe(customerCreated.source);
    expect(recorded.matchedRules).toEqual(expect.arrayContaining(['dispatch-webhooks', CAPTURE]));
    const delivered = captured.find((event) => event.id === recorded.event.id);
    const detail = customerCreated.detail.parse(delivered?.detail);
    expect(detail.customerId).toBe(customer.id);
    expect(detail).toMatchObject({ version: 1, lifecycleStage: 'lead' });
    expect(detail.eventId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a high complaint fires flag-serious-complaints and the 360 view shows needsAttention', async () => {
    // Prepare
    const customer = await createCustomer();

    // Act
    const complaint = await http.post<Json>(`/customers/${customer.id}/timeline`, {
      type: 'complaint',
      severity: 'high',
      channel: 'email',
      subject: 'The grinder arrived broken',
    });
    const recorded = await cloud.bus.waitFor(
      (r) =>
        r.event['detail-type'] === timelineEntryAdded.detailType &&
        r.event.detail.customerId === customer.id &&
        r.deliveries.find((d) => d.rule === 'flag-serious-complaints')?.status === 'succeeded',
      5_000,
    );
    let view: Json = {};
    for (const deadline = Date.now() + 3_000; Date.now() < deadline; ) {
      view = (await http.get<Json>(`/customers/${customer.id}/view`)).body;
      if (view.stats?.needsAttention) break;
      await new Promise((done) => setTimeout(done, 50));
    }

    // Assess
    expect(complaint.status).toBe(201);
    const detail = timelineEntryAdded.detail.parse(recorded.event.detail);
    expect(detail).toMatchObject({ type: 'complaint', severity: 'high', channel: 'email' });
    expect(view.stats).toMatchObject({ needsAttention: true });
  });

  it('a low complaint does not match flag-serious-complaints', async () => {
    // Prepare
    const customer = await createCustomer();

    // Act
    await http.post<Json>(`/customers/${customer.id}/timeline`, {
      type: 'complaint',
      severity: 'low',
      channel: 'phone',
      subject: 'Slightly late delivery',
    });
    const recorded = await cloud.bus.waitFor(
      (r) =>
        r.event['detail-type'] === timelineEntryAdded.detailType && r.event.detail.customerId === customer.id,
      5_000,
    );

    // Assess
    expect(recorded.matchedRules).toContain('dispatch-webhooks');
    expect(recorded.matchedRules).not.toContain('flag-serious-complaints');
  });

  it('puts none of the personal values the tests wrote on the bus (thin events)', async () => {
    // Prepare: personal values of every kind a customer and their timeline can hold
    const secret = `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
    const values = {
      firstName: `Zelda${secret}`,
      lastName: `Quimby${secret}`,
      email: `zelda.${secret}@example.com`,
      phone: '+4930555777',
      jobTitle: `Harpist${secret}`,
      subject: `Harp strings snapped ${secret}`,
      description: `Very upset about the harp ${secret}`,
      note: `Prefers calls after six ${secret}`,
    };
    const customer = (
      await http.post<Json>('/customers', {
        firstName: values.firstName,
        lastName: values.lastName,
        jobTitle: values.jobTitle,
        emails: [{ address: values.email }],
        phones: [{ number: values.phone }],
        tags: [`tag${secret}`],
      })
    ).body;

    // Act
    await http.post(`/customers/${customer.id}/timeline`, {
      type: 'complaint',
      severity: 'critical',
      channel: 'phone',
      subject: values.subject,
      description: values.description,
    });
    await http.post(`/customers/${customer.id}/timeline`, { type: 'note', body: values.note });
    await http.patch(
      `/customers/${customer.id}`,
      { lastName: `Other${secret}` },
      { headers: { 'if-match': '"1"' } },
    );
    await cloud.bus.waitFor(
      (r) => r.event['detail-type'] === 'customer.updated' && r.event.detail.customerId === customer.id,
      5_000,
    );
    const onTheBus = JSON.stringify(cloud.bus.events().map((r) => r.event));
    const page = await (await fetch(`${cloud.api?.url}/_local/events?format=json`)).text();
    const html = await (await fetch(`${cloud.api?.url}/_local/events`)).text();

    // Assess
    expect(onTheBus).toContain(customer.id);
    for (const value of [...Object.values(values), `tag${secret}`, `Other${secret}`, secret]) {
      expect(onTheBus).not.toContain(value);
      expect(page).not.toContain(value);
      expect(html).not.toContain(value);
    }
    expect(html).toContain(customer.id);
  });

  it('serves the events page as JSON and HTML', async () => {
    // Act
    const json = await fetch(`${cloud.api?.url}/_local/events?format=json`);
    const html = await fetch(`${cloud.api?.url}/_local/events`);
    const snapshot = (await json.json()) as Json;

    // Assess
    expect(json.status).toBe(200);
    expect(snapshot.bus.name).toBe('relay-test');
    expect(snapshot.events.map((e: Json) => e.detailType)).toContain('customer.created');
    expect(snapshot.streams.recentBatches.length).toBeGreaterThan(0);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('Relay local events');
  });
});
