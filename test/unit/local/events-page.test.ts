/**
 * `/_local/events` is local-only and free of personal data: only loopback clients get it (others
 * get the API's 404, also when the API is bound to every interface), and an event's detail shows
 * only its published thin contract — or key names for anything else — with error texts scrubbed,
 * on the HTML page and in its JSON alike, even when a producer puts personal data on the bus.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RuleDef } from '#events/rules';
import { generateDevSecrets } from '#infra/local/dev-secrets';
import { type LocalEventBridge, startLocalEventBridge } from '#infra/local/eventbridge';
import {
  isLoopbackAddress,
  localEventsSnapshot,
  renderLocalEventsHtml,
  shownDetail,
} from '#infra/local/events-page';
import { LOCAL_EVENTS_PATH, startLocalApi } from '#infra/local/http';

const FIXTURE = JSON.parse(
  readFileSync(new URL('../../../events/fixtures/customer.created.json', import.meta.url), 'utf8'),
);
const PERSONAL = {
  firstName: 'Augusta',
  lastName: 'Byron-King',
  email: 'augusta.king@lovelace.example',
  phone: '+441632960961',
};
const personalValues = [...Object.values(PERSONAL), '1632960961'];

const failingRule: RuleDef = {
  name: 'fails-with-personal-data',
  description: 'test: a target whose error quotes personal data',
  pattern: { source: ['test.failing'] },
  target: { kind: 'lambda', handler: 'fails' },
};

describe('Function: isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.2', false],
    ['::ffff:192.0.2.2', false],
    ['10.0.0.1', false],
    ['fd00::2', false],
    ['1127.0.0.1', false],
    ['127.0.0.1.example', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    // Act / Assess
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

describe('Function: shownDetail', () => {
  it('keeps exactly the contract fields of a catalogued event and drops any other key', () => {
    // Act
    const shown = shownDetail('customer.created', { ...FIXTURE, ...PERSONAL });

    // Assess
    expect(shown).toEqual(FIXTURE);
  });

  it('shows only the key names of an uncatalogued or non-conforming detail', () => {
    // Act
    const unknown = shownDetail('customer.exported', { customerId: FIXTURE.customerId, ...PERSONAL });
    const broken = shownDetail('customer.created', { ...PERSONAL, schemaVersion: 2 });

    // Assess
    expect(unknown).toEqual({ unverifiedKeys: ['customerId', 'firstName', 'lastName', 'email', 'phone'] });
    expect(broken).toEqual({ unverifiedKeys: ['firstName', 'lastName', 'email', 'phone', 'schemaVersion'] });
  });
});

describe('The events page', () => {
  let bus: LocalEventBridge;

  beforeAll(async () => {
    bus = await startLocalEventBridge({
      busName: 'relay-page-test',
      rules: [failingRule],
      retry: { attempts: 1, baseDelayMs: 1 },
      invoke: async () => {
        throw new Error(`could not reach ${PERSONAL.email} at ${PERSONAL.phone}`);
      },
      logger: { error: () => undefined },
    });
    bus.putEvents([
      {
        EventBusName: 'relay-page-test',
        Source: 'relay.customers',
        DetailType: 'customer.created',
        Detail: JSON.stringify({ ...FIXTURE, ...PERSONAL }),
      },
      {
        EventBusName: 'relay-page-test',
        Source: 'test.failing',
        DetailType: 'test.unknown',
        Detail: JSON.stringify({ ...PERSONAL }),
      },
    ]);
    await vi.waitFor(() => expect(bus.dlq()).toHaveLength(1), { timeout: 2_000 });
  });

  afterAll(async () => {
    await bus?.close();
  });

  it('shows the events, their ids, types and deliveries, and none of the personal data, as HTML and JSON', () => {
    // Act
    const snapshot = localEventsSnapshot({ bus });
    const json = JSON.stringify(snapshot);
    const html = renderLocalEventsHtml(snapshot);

    // Assess
    expect(snapshot.events.map((event) => event.detailType)).toEqual(['test.unknown', 'customer.created']);
    expect(snapshot.events[1]?.detail).toEqual(FIXTURE);
    expect(snapshot.dlq).toHaveLength(1);
    expect(snapshot.dlq[0]?.error).toContain('[email]');
    expect(html).toContain(FIXTURE.customerId);
    for (const value of personalValues) {
      expect(json).not.toContain(value);
      expect(html).not.toContain(value);
    }
  });

  describe('over HTTP', () => {
    const outward = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

    it('answers a loopback client', async () => {
      // Prepare
      const { keys } = await generateDevSecrets();
      const api = await startLocalApi({ port: 0, host: '127.0.0.1', keys, localCloud: { bus } });

      try {
        // Act
        const res = await fetch(`${api.url}${LOCAL_EVENTS_PATH}?format=json`);

        // Assess
        expect(res.status).toBe(200);
        expect(((await res.json()) as { events: unknown[] }).events).toHaveLength(2);
      } finally {
        await api.close();
      }
    });

    // Needs an address other than loopback to connect from (every CI runner and dev machine has one).
    it.skipIf(outward === undefined)(
      'answers 404 to a client that is not on loopback, even with HOST=0.0.0.0',
      async () => {
        // Prepare
        const { keys } = await generateDevSecrets();
        const api = await startLocalApi({ port: 0, host: '0.0.0.0', keys, localCloud: { bus } });

        try {
          // Act: connected to the outward address, the client's address is that one, not loopback
          const outside = await fetch(
            `http://${outward}:${new URL(api.url).port}${LOCAL_EVENTS_PATH}?format=json`,
          );
          const inside = await fetch(`http://127.0.0.1:${new URL(api.url).port}${LOCAL_EVENTS_PATH}`);

          // Assess
          expect(outside.status).toBe(404);
          expect(await outside.text()).not.toContain('customer.created');
          expect(inside.status).toBe(200);
        } finally {
          await api.close();
        }
      },
    );
  });
});
