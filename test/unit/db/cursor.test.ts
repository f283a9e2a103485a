/**
 * Property tests for the signed cursor codec: a cursor decodes only when it is exactly the string
 * that was issued, with the same secret, for the same query scope. Everything else is a 400 at
 * `query.cursor`, never a 500.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '#shared/db/cursor';
import { ValidationError } from '#shared/errors';
import { thrownBy } from '#test/unit/support/errors';

const SECRET = 'unit-cursor-secret-0123456789abcdef0123';
const SCOPE = 'customers';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const secretArb = fc.string({ minLength: 32, maxLength: 64 });
const scopeArb = fc.string({ minLength: 1, maxLength: 80 });
/** What pagination puts in a cursor: a DynamoDB key map, or shard positions. */
const payloadArb = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom('pk', 'sk', 'gsi2pk', 'gsi2sk'), fc.string({ minLength: 1 })),
);

/** Asserts the call throws the invalid-cursor 400 and nothing else. */
const expectInvalidCursor = (fn: () => unknown): void => {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).status).toBe(400);
  expect((error as ValidationError).errors?.[0]?.path).toBe('query.cursor');
};

describe('Module: cursor', () => {
  describe('Function: encodeCursor', () => {
    it('produces two base64url parts joined by a dot', () => {
      // Act
      const cursor = encodeCursor(SECRET, SCOPE, { pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D', sk: 'PROFILE' });

      // Assess
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    });

    it('reveals nothing but base64url text in the clear', () => {
      // Prepare
      const payload = { pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D', sk: 'EVT#2026-11-23T09:30:00.000Z#X' };

      // Act
      const cursor = encodeCursor(SECRET, SCOPE, payload);

      // Assess
      expect(cursor).not.toContain('CUS#');
      expect(cursor).not.toContain('EVT#');
    });
  });

  describe('Function: decodeCursor', () => {
    it('round-trips any JSON payload', () => {
      fc.assert(
        fc.property(secretArb, scopeArb, payloadArb, (secret, scope, payload) => {
          // Prepare
          const cursor = encodeCursor(secret, scope, payload);

          // Act
          const decoded = decodeCursor(secret, scope, cursor);

          // Assess
          expect(decoded).toEqual(JSON.parse(JSON.stringify(payload)));
        }),
        { numRuns: 300 },
      );
    });

    it('rejects any single-character change to a cursor', () => {
      // Prepare
      const replacementArb = fc.constantFrom(...BASE64URL, '.', '=', '+', '/', ' ', '%', 'é', '\u0000');
      const caseArb = payloadArb.chain((payload) => {
        const cursor = encodeCursor(SECRET, SCOPE, payload);
        return fc.record({
          cursor: fc.constant(cursor),
          index: fc.nat({ max: cursor.length - 1 }),
          replacement: replacementArb,
        });
      });

      fc.assert(
        fc.property(caseArb, ({ cursor, index, replacement }) => {
          fc.pre(cursor[index] !== replacement);
          const mutated = `${cursor.slice(0, index)}${replacement}${cursor.slice(index + 1)}`;

          // Act + Assess
          expectInvalidCursor(() => decodeCursor(SECRET, SCOPE, mutated));
        }),
        { numRuns: 300 },
      );
    });

    it('rejects a change to the last character of the signature', () => {
      // Prepare: the final base64url character of a 32-byte MAC carries 2 unused bits
      const cursor = encodeCursor(SECRET, SCOPE, { pk: 'CUSLIST#0' });
      const last = cursor.at(-1) ?? '';
      const mutations = [...BASE64URL].filter((c) => c !== last).map((c) => `${cursor.slice(0, -1)}${c}`);

      // Act
      const accepted = mutations.filter((mutated) => {
        try {
          decodeCursor(SECRET, SCOPE, mutated);
          return true;
        } catch {
          return false;
        }
      });

      // Assess
      expect(accepted).toEqual([]);
    });

    it('rejects any truncation of a cursor', () => {
      // Prepare
      const caseArb = payloadArb.chain((payload) => {
        const cursor = encodeCursor(SECRET, SCOPE, payload);
        return fc.record({
          cursor: fc.constant(cursor),
          cut: fc.integer({ min: 1, max: cursor.length }),
          fromStart: fc.boolean(),
        });
      });

      fc.assert(
        fc.property(caseArb, ({ cursor, cut, fromStart }) => {
          const truncated = fromStart ? cursor.slice(cut) : cursor.slice(0, cursor.length - cut);

          // Act + Assess
          expectInvalidCursor(() => decodeCursor(SECRET, SCOPE, truncated));
        }),
        { numRuns: 300 },
      );
    });

    it('rejects a cursor signed with another secret', () => {
      fc.assert(
        fc.property(secretArb, payloadArb, (otherSecret, payload) => {
          // Prepare
          fc.pre(otherSecret !== SECRET);
          const forged = encodeCursor(otherSecret, SCOPE, payload);

          // Act + Assess
          expectInvalidCursor(() => decodeCursor(SECRET, SCOPE, forged));
        }),
        { numRuns: 200 },
      );
    });

    it('rejects a cursor issued for another scope', () => {
      fc.assert(
        fc.property(scopeArb, scopeArb, payloadArb, (issuedFor, usedFor, payload) => {
          // Prepare
          fc.pre(issuedFor !== usedFor);
          const cursor = encodeCursor(SECRET, issuedFor, payload);

          // Act + Assess
          expectInvalidCursor(() => decodeCursor(SECRET, usedFor, cursor));
        }),
        { numRuns: 200 },
      );
    });

    it('rejects a correctly signed body that is not JSON', () => {
      // Prepare
      const body = Buffer.from('{"pk":', 'utf8').toString('base64url');
      const mac = createHmac('sha256', SECRET).update(SCOPE).update('\n').update(body).digest('base64url');

      // Act + Assess
      expectInvalidCursor(() => decodeCursor(SECRET, SCOPE, `${body}.${mac}`));
    });

    it('throws nothing but the invalid-cursor error for garbage strings', () => {
      // Prepare
      const garbageArb = fc.oneof(
        fc.string(),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ unit: fc.constantFrom(...BASE64URL, '.'), maxLength: 120 }),
        fc
          .tuple(
            fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1, maxLength: 80 }),
            fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 43, maxLength: 43 }),
          )
          .map(([body, mac]) => `${body}.${mac}`),
      );

      fc.assert(
        fc.property(garbageArb, (garbage) => {
          // Act + Assess
          expectInvalidCursor(() => decodeCursor(SECRET, SCOPE, garbage));
        }),
        { numRuns: 300 },
      );
    });
  });
});
