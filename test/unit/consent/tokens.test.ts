import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cursorKeyRing } from '#shared/db/cursor';
import { signConsentToken, verifyConsentToken } from '#shared/domain/consent/tokens';
import { ValidationError } from '#shared/errors';

const MATERIAL_A = 'a'.repeat(43);
const MATERIAL_B = 'b'.repeat(43);
const RING = cursorKeyRing('k1', { k1: MATERIAL_A });
const NOW = Date.parse('2026-12-03T12:00:00.000Z');
const CLAIMS = {
  purpose: 'unsubscribe' as const,
  customerId: '01JD8X3Q9Z7N6M5K4H3G2F1E0D',
  type: 'offers',
  exp: NOW / 1000 + 3600,
};

describe('Module: consent tokens', () => {
  it('opens a token it signed, with its claims', () => {
    // Act
    const token = signConsentToken(RING, CLAIMS);

    // Assess
    expect(verifyConsentToken(RING, token, 'unsubscribe', NOW)).toEqual(CLAIMS);
    expect(token).not.toContain(CLAIMS.customerId);
  });

  it('refuses every single-character change with a 400, never a throw of another kind', () => {
    // Prepare
    const token = signConsentToken(RING, CLAIMS);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (at, char) => {
        fc.pre(token[at] !== char);
        const tampered = token.slice(0, at) + char + token.slice(at + 1);

        // Act / Assess
        expect(() => verifyConsentToken(RING, tampered, 'unsubscribe', NOW)).toThrow(ValidationError);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses arbitrary strings with a 400', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        // Act / Assess
        expect(() => verifyConsentToken(RING, text, 'unsubscribe', NOW)).toThrow(ValidationError);
      }),
    );
  });

  it('refuses another purpose, an expired token and a key the ring does not hold', () => {
    // Prepare
    const token = signConsentToken(RING, CLAIMS);
    const other = cursorKeyRing('k9', { k9: MATERIAL_B });

    // Act / Assess
    expect(() => verifyConsentToken(RING, token, 'confirm', NOW)).toThrow(ValidationError);
    expect(() => verifyConsentToken(RING, token, 'unsubscribe', CLAIMS.exp * 1000)).toThrow(/expired/);
    expect(() => verifyConsentToken(other, token, 'unsubscribe', NOW)).toThrow(ValidationError);
  });

  it('keeps opening tokens of a rotated-out current key while the ring holds it', () => {
    // Prepare
    const token = signConsentToken(RING, CLAIMS);
    const rotated = cursorKeyRing('k2', { k1: MATERIAL_A, k2: MATERIAL_B });

    // Act / Assess
    expect(verifyConsentToken(rotated, token, 'unsubscribe', NOW)).toEqual(CLAIMS);
    expect(signConsentToken(rotated, CLAIMS).split('.')[1]).toBe('k2');
  });

  it('is not a cursor: the same ring key MACs tokens under its own label', () => {
    // Prepare: a token whose MAC was made with the raw ring key would verify only without HKDF
    const token = signConsentToken(RING, CLAIMS);
    const [version, keyId, payload] = token.split('.') as [string, string, string];
    const rawMac = createHmac('sha256', RING.keys.get('k1') as Buffer)
      .update(`${version}.${keyId}.${payload}`)
      .digest('base64url');

    // Act / Assess
    expect(() =>
      verifyConsentToken(RING, [version, keyId, payload, rawMac].join('.'), 'unsubscribe', NOW),
    ).toThrow(ValidationError);
  });
});
