/**
 * Who made a change (agreement 3 of issue 7): the request context set at each edge, the `lastChange`
 * stamp every audited write carries, and its absence from everything the API returns.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { readFixture } from '#events/docs';
import { timelineEntryAdded } from '#events/timeline/timeline-entry-added';
import { entityOf, stamp } from '#shared/db/dynamo';
import { consumeEvent } from '#shared/events/consumer';
import type { DedupeStore } from '#shared/events/dedupe';
import {
  currentRequestContext,
  LAST_CHANGE,
  type LastChange,
  lastChangeNow,
  runAsSystem,
  runWithRequestContext,
} from '#shared/http/request-context';

const staff = {
  actor: { type: 'user' as const, id: '5f1c2e1a-7a3b-4c8e-9d0f-1234567890ab' },
  roles: ['sales'],
  correlationId: 'corr-42',
  sourceIp: '203.0.113.17',
};

const previousFunctionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
afterEach(() => {
  if (previousFunctionName === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
  else process.env.AWS_LAMBDA_FUNCTION_NAME = previousFunctionName;
});

describe('Module: request-context', () => {
  describe('Function: lastChangeNow', () => {
    it('names the caller, roles, correlation id and source IP of the current request', () => {
      // Act
      const change = runWithRequestContext(staff, () => lastChangeNow('2026-12-02T10:00:00.000Z'));

      // Assess
      expect(change).toEqual({ ...staff, at: '2026-12-02T10:00:00.000Z' });
    });

    it('attributes a write outside any edge to the function itself as a system actor', () => {
      // Prepare
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'relay-dev-seed';

      // Act
      const change = lastChangeNow('2026-12-02T10:00:00.000Z');

      // Assess
      expect(change).toEqual({
        actor: { type: 'system', id: 'relay-dev-seed' },
        at: '2026-12-02T10:00:00.000Z',
      });
    });

    it('stamps the current time when no time is given', () => {
      // Prepare
      const before = new Date().toISOString();

      // Act
      const { at } = runWithRequestContext(staff, () => lastChangeNow());

      // Assess
      expect(at >= before && at <= new Date().toISOString()).toBe(true);
    });

    it('keeps concurrent requests apart across awaits', async () => {
      // Prepare
      const request = async (sub: string, delayMs: number) =>
        runWithRequestContext({ actor: { type: 'user', id: sub } }, async () => {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          return lastChangeNow().actor.id;
        });

      // Act
      const seen = await Promise.all([request('first', 20), request('second', 1), request('third', 10)]);

      // Assess
      expect(seen).toEqual(['first', 'second', 'third']);
      expect(currentRequestContext()).toBeUndefined();
    });

    it('sees the innermost context when contexts nest', () => {
      // Act
      const inner = runWithRequestContext(staff, () =>
        runWithRequestContext({ actor: { type: 'system', id: 'nested' } }, () => lastChangeNow()),
      );

      // Assess
      expect(inner.actor).toEqual({ type: 'system', id: 'nested' });
      expect(inner.sourceIp).toBeUndefined();
    });

    it('returns a copy the caller cannot use to change the context', () => {
      // Act
      const [first, second] = runWithRequestContext(staff, () => {
        const change = lastChangeNow();
        change.actor.id = 'tampered';
        change.roles?.push('admin');
        return [change, lastChangeNow()];
      });

      // Assess
      expect(first?.actor.id).toBe('tampered');
      expect(second?.actor.id).toBe(staff.actor.id);
      expect(second?.roles).toEqual(['sales']);
    });
  });
});

describe('Function: runAsSystem', () => {
  it('attributes the writes of a workflow task to the task, optionally correlated', async () => {
    // Act
    const plain = await runAsSystem('deliver-webhook', async () => lastChangeNow('2026-12-02T10:00:00.000Z'));
    const correlated = runAsSystem('purge-customer', () => lastChangeNow().correlationId, 'exec-1');

    // Assess
    expect(plain).toEqual({
      actor: { type: 'system', id: 'deliver-webhook' },
      at: '2026-12-02T10:00:00.000Z',
    });
    expect(correlated).toBe('exec-1');
    expect(currentRequestContext()).toBeUndefined();
  });
});

describe('Module: dynamo (lastChange)', () => {
  describe('Function: stamp', () => {
    it('adds the current writer as lastChange and keeps every other attribute', () => {
      // Prepare
      const item = { pk: 'CUS#1', sk: 'PROFILE', entity: 'customer', id: '1', version: 3 };

      // Act
      const stamped = runWithRequestContext(staff, () => stamp(item));

      // Assess
      expect(stamped).toMatchObject(item);
      expect(stamped[LAST_CHANGE]).toMatchObject(staff);
      expect(item).not.toHaveProperty(LAST_CHANGE);
    });
  });

  describe('Function: entityOf', () => {
    it('never returns lastChange, and stamping changes none of the entity fields', () => {
      fc.assert(
        fc.property(
          fc.dictionary(
            fc.string({ minLength: 1, maxLength: 12 }).filter((key) => key !== '__proto__'),
            fc.jsonValue(),
          ),
          fc.record({ id: fc.string({ minLength: 1 }), type: fc.constantFrom('user', 'system') }),
          (fields, actor) => {
            // Prepare
            const item = { pk: 'CUS#x', sk: 'PROFILE', entity: 'customer', ...fields };

            // Act
            const entity = entityOf<Record<string, unknown>>(
              runWithRequestContext({ actor: actor as LastChange['actor'] }, () => stamp(item)),
            );

            // Assess
            expect(entity).not.toHaveProperty(LAST_CHANGE);
            expect(entity).toEqual(entityOf(item));
          },
        ),
      );
    });
  });
});

describe('Module: consumer (lastChange)', () => {
  it('runs a consumer as a system actor named for it, correlated by the event id', async () => {
    // Prepare
    const dedupe: DedupeStore = {
      claim: async () => 'claimed',
      complete: async () => {},
      release: async () => {},
    };
    let seen: LastChange | undefined;
    const handler = consumeEvent(
      'flag-serious-complaint',
      timelineEntryAdded,
      async () => {
        seen = lastChangeNow();
      },
      { deps: () => ({ dedupe }) },
    );
    const event: EventBridgeEvent<string, unknown> = {
      id: '7bf73129-1428-4cd3-a780-95db273d1602',
      version: '0',
      account: '123456789012',
      time: '2026-11-23T12:00:03Z',
      region: 'eu-central-1',
      resources: [],
      source: timelineEntryAdded.source,
      'detail-type': timelineEntryAdded.detailType,
      detail: structuredClone(readFixture(timelineEntryAdded.detailType)),
    };

    // Act
    await handler(event);

    // Assess
    expect(seen).toMatchObject({
      actor: { type: 'system', id: 'flag-serious-complaint' },
      correlationId: '7bf73129-1428-4cd3-a780-95db273d1602',
    });
    expect(seen?.sourceIp).toBeUndefined();
    expect(currentRequestContext()).toBeUndefined();
  });
});
