/**
 * Property tests for the encrypted cursor codec: a cursor decodes only when it is exactly the
 * string that was issued, under a key the ring still holds, for the same query scope, within its
 * maximum age; nothing of the position is readable. Everything else is a 400 at `query.cursor`, never a 500.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CURSOR_MAX_AGE_MS,
  cursorKeyRing,
  decodeCursor,
  encodeCursor,
  lazyCursorKeys,
} from '#shared/db/cursor';
import { ValidationError } from '#shared/errors';
import { thrownBy } from '#test/unit/support/errors';

const MATERIAL_A = 'unit-cursor-key-material-A-0123456789abcdefghij';
const MATERIAL_B = 'unit-cursor-key-material-B-0123456789abcdefghij';
const RING = cursorKeyRing('k1', { k1: MATERIAL_A });
const SCOPE = 'customers';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const keyIdArb = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1, maxLength: 16 });
const materialArb = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 43, maxLength: 64 });
const ringArb = fc
  .tuple(keyIdArb, materialArb)
  .map(([id, material]) => cursorKeyRing(id, { [id]: material }));
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

/** A cursor sealed the way `encodeCursor` does, around an arbitrary plaintext. */
const sealRaw = (keyId: string, scope: string, plaintext: string): string => {
  const key = RING.keys.get(keyId);
  if (!key) throw new Error(`no key ${keyId}`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`v1.${keyId}\n${scope}`));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${keyId}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
};

describe('Module: cursor', () => {
  describe('Function: cursorKeyRing', () => {
    it('refuses a ring whose current key is missing, or short key material', () => {
      // Act + Assess
      expect(() => cursorKeyRing('k2', { k1: MATERIAL_A })).toThrow(
        'the current cursor key "k2" is not in the ring',
      );
      expect(() => cursorKeyRing('k1', { k1: 'too-short' })).toThrow('at least 43 characters');
      expect(() => cursorKeyRing('k.1', { 'k.1': MATERIAL_A })).toThrow('base64url characters');
    });

    it('derives different keys for different ids even from the same material', () => {
      // Act
      const ring = cursorKeyRing('a', { a: MATERIAL_A, b: MATERIAL_A });

      // Assess
      expect(ring.keys.get('a')).toHaveLength(32);
      expect(ring.keys.get('a')?.equals(ring.keys.get('b') ?? Buffer.alloc(0))).toBe(false);
    });
  });

  describe('Function: encodeCursor', () => {
    it('produces v1.<keyId>.<iv>.<ciphertext+tag>, all base64url', () => {
      // Act
      const cursor = encodeCursor(RING, SCOPE, { pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D', sk: 'PROFILE' });

      // Assess
      expect(cursor).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/);
    });

    it('reveals nothing of the position: no key text, in any encoding', () => {
      fc.assert(
        fc.property(payloadArb, (payload) => {
          // Prepare
          const position = {
            pk: 'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
            sk: 'EVT#2026-11-23T09:30:00.000Z#X',
            payload,
          };

          // Act
          const cursor = encodeCursor(RING, SCOPE, position);
          const [, , , sealed = ''] = cursor.split('.');
          const bytes = Buffer.from(sealed, 'base64url').toString('latin1');

          // Assess
          for (const text of [cursor, bytes, Buffer.from(cursor, 'base64url').toString('latin1')]) {
            expect(text).not.toContain('CUS#');
            expect(text).not.toContain('EVT#');
            expect(text).not.toContain('01JD8X3Q9Z7N6M5K4H3G2F1E0D');
          }
        }),
        { numRuns: 100 },
      );
    });

    it('gives a different cursor each time for the same position (random IV)', () => {
      // Act
      const first = encodeCursor(RING, SCOPE, { pk: 'CUSLIST#0' });
      const second = encodeCursor(RING, SCOPE, { pk: 'CUSLIST#0' });

      // Assess
      expect(first).not.toBe(second);
      expect(decodeCursor(RING, SCOPE, first)).toEqual(decodeCursor(RING, SCOPE, second));
    });
  });

  describe('Function: decodeCursor', () => {
    it('round-trips any JSON payload under any key and scope', () => {
      fc.assert(
        fc.property(ringArb, scopeArb, payloadArb, (ring, scope, payload) => {
          // Prepare
          const cursor = encodeCursor(ring, scope, payload);

          // Act
          const decoded = decodeCursor(ring, scope, cursor);

          // Assess
          expect(decoded).toEqual(JSON.parse(JSON.stringify(payload)));
        }),
        { numRuns: 300 },
      );
    });

    it('opens a cursor sealed by the previous key while the ring still holds it', () => {
      fc.assert(
        fc.property(payloadArb, (payload) => {
          // Prepare: issued before the rotation, decoded after it
          const before = cursorKeyRing('k1', { k1: MATERIAL_A });
          const after = cursorKeyRing('k2', { k2: MATERIAL_B, k1: MATERIAL_A });
          const cursor = encodeCursor(before, SCOPE, payload);

          // Act
          const decoded = decodeCursor(after, SCOPE, cursor);

          // Assess
          expect(decoded).toEqual(JSON.parse(JSON.stringify(payload)));
          expect(encodeCursor(after, SCOPE, payload)).toMatch(/^v1\.k2\./);
        }),
        { numRuns: 100 },
      );
    });

    it('rejects any single-character change to a cursor', () => {
      // Prepare
      const replacementArb = fc.constantFrom(...BASE64URL, '.', '=', '+', '/', ' ', '%', 'é', '\u0000');
      const caseArb = payloadArb.chain((payload) => {
        const cursor = encodeCursor(RING, SCOPE, payload);
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
          expectInvalidCursor(() => decodeCursor(RING, SCOPE, mutated));
        }),
        { numRuns: 300 },
      );
    });

    it('rejects every other spelling of the last character (spare base64url bits)', () => {
      // Prepare
      const cursor = encodeCursor(RING, SCOPE, { pk: 'CUSLIST#0' });
      const last = cursor.at(-1) ?? '';
      const mutations = [...BASE64URL].filter((c) => c !== last).map((c) => `${cursor.slice(0, -1)}${c}`);

      // Act
      const accepted = mutations.filter((mutated) => {
        try {
          decodeCursor(RING, SCOPE, mutated);
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
        const cursor = encodeCursor(RING, SCOPE, payload);
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
          expectInvalidCursor(() => decodeCursor(RING, SCOPE, truncated));
        }),
        { numRuns: 300 },
      );
    });

    it('rejects a cursor sealed with another key, even under the same key id', () => {
      fc.assert(
        fc.property(materialArb, payloadArb, (otherMaterial, payload) => {
          // Prepare
          fc.pre(otherMaterial !== MATERIAL_A);
          const forged = encodeCursor(cursorKeyRing('k1', { k1: otherMaterial }), SCOPE, payload);

          // Act + Assess
          expectInvalidCursor(() => decodeCursor(RING, SCOPE, forged));
        }),
        { numRuns: 200 },
      );
    });

    it('rejects a cursor whose key the ring no longer holds (rotation finished)', () => {
      // Prepare
      const old = encodeCursor(cursorKeyRing('k1', { k1: MATERIAL_A }), SCOPE, { pk: 'CUSLIST#0' });
      const rotated = cursorKeyRing('k2', { k2: MATERIAL_B });

      // Act + Assess
      expectInvalidCursor(() => decodeCursor(rotated, SCOPE, old));
    });

    it('rejects a cursor whose key id is relabelled to another key of the ring', () => {
      // Prepare
      const ring = cursorKeyRing('k2', { k2: MATERIAL_B, k1: MATERIAL_A });
      const cursor = encodeCursor(ring, SCOPE, { pk: 'CUSLIST#0' });

      // Act + Assess
      expectInvalidCursor(() => decodeCursor(ring, SCOPE, cursor.replace(/^v1\.k2\./, 'v1.k1.')));
    });

    it('rejects a cursor issued for another scope', () => {
      fc.assert(
        fc.property(scopeArb, scopeArb, payloadArb, (issuedFor, usedFor, payload) => {
          // Prepare
          fc.pre(issuedFor !== usedFor);
          const cursor = encodeCursor(RING, issuedFor, payload);

          // Act + Assess
          expectInvalidCursor(() => decodeCursor(RING, usedFor, cursor));
        }),
        { numRuns: 200 },
      );
    });

    it('rejects a correctly sealed plaintext that is not JSON', () => {
      // Prepare
      const cursor = sealRaw('k1', SCOPE, `[${Math.floor(Date.now() / 1000)},{"pk":`);

      // Act + Assess
      expectInvalidCursor(() => decodeCursor(RING, SCOPE, cursor));
    });

    it('rejects a correctly sealed plaintext without an issue time (a bare position)', () => {
      // Prepare
      const bare = sealRaw('k1', SCOPE, '{"pk":"CUSLIST#0"}');
      const untimed = sealRaw('k1', SCOPE, '["soon",{"pk":"CUSLIST#0"}]');

      // Act + Assess
      expectInvalidCursor(() => decodeCursor(RING, SCOPE, bare));
      expectInvalidCursor(() => decodeCursor(RING, SCOPE, untimed));
    });

    it('accepts a cursor up to CURSOR_MAX_AGE_MS after it was issued and refuses it afterwards', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1_700_000_000_000, max: 2_000_000_000_000 }),
          fc.integer({ min: 0, max: CURSOR_MAX_AGE_MS - 1_000 }),
          fc.integer({ min: 1_000, max: 10 * CURSOR_MAX_AGE_MS }),
          (issued, within, beyond) => {
            // Prepare
            const cursor = encodeCursor(RING, SCOPE, { pk: 'CUSLIST#0' }, issued);

            // Act + Assess
            expect(decodeCursor(RING, SCOPE, cursor, issued + within)).toEqual({ pk: 'CUSLIST#0' });
            expectInvalidCursor(() => decodeCursor(RING, SCOPE, cursor, issued + CURSOR_MAX_AGE_MS + beyond));
          },
        ),
        { numRuns: 200 },
      );
    });

    it('refuses a cursor issued more than the tolerated clock skew in the future', () => {
      // Prepare
      const now = Date.parse('2026-12-03T10:00:00Z');
      const soon = encodeCursor(RING, SCOPE, { pk: 'CUSLIST#0' }, now + 60_000);
      const later = encodeCursor(RING, SCOPE, { pk: 'CUSLIST#0' }, now + 10 * 60_000);

      // Act + Assess
      expect(decodeCursor(RING, SCOPE, soon, now)).toEqual({ pk: 'CUSLIST#0' });
      expectInvalidCursor(() => decodeCursor(RING, SCOPE, later, now));
    });

    it('rejects the old signed-JSON cursors', () => {
      // Prepare: `base64url(json).base64url(hmac)`, what the API issued before v1
      const legacy = `${Buffer.from('{"pk":"CUSLIST#0"}').toString('base64url')}.${'A'.repeat(43)}`;

      // Act + Assess
      expectInvalidCursor(() => decodeCursor(RING, SCOPE, legacy));
    });

    it('throws nothing but the invalid-cursor error for garbage strings', () => {
      // Prepare
      const part = (min: number, max: number) =>
        fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: min, maxLength: max });
      const garbageArb = fc.oneof(
        fc.string(),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ unit: fc.constantFrom(...BASE64URL, '.'), maxLength: 120 }),
        fc.tuple(part(1, 8), part(0, 24), part(0, 200)).map(([id, iv, sealed]) => `v1.${id}.${iv}.${sealed}`),
        fc.tuple(part(16, 16), part(17, 200)).map(([iv, sealed]) => `v1.k1.${iv}.${sealed}`),
        fc.constant(`v1.k1.${'A'.repeat(16)}.${'A'.repeat(10_000)}`),
      );

      fc.assert(
        fc.property(garbageArb, (garbage) => {
          // Act + Assess
          expectInvalidCursor(() => decodeCursor(RING, SCOPE, garbage));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('Function: lazyCursorKeys', () => {
    it('fails the listing of a store wired without cursor keys', async () => {
      // Act + Assess
      await expect(lazyCursorKeys(undefined)()).rejects.toThrow(
        'This function has no cursor keys in its wiring',
      );
    });
  });
});
