/** Webhook signatures: exact values, header parsing, and verify/sign properties (fast-check). */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  DELIVERY_ID_HEADER,
  deliveryHeaders,
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  parseSignatureHeader,
  SIGNATURE_HEADER,
  signPayload,
  verifySignature,
} from '#shared/domain/webhooks/signing';

const SECRET = 'whsec_test-secret-0123456789abcdefghijklmnop';
const BODY = '{"id":"abc","type":"customer.created"}';
const T = 1_795_000_000;
const at = (seconds: number) => new Date(seconds * 1000);

const secretArb = fc.string({ minLength: 32, maxLength: 64 });
const bodyArb = fc.string({ maxLength: 500 });
const timeArb = fc.integer({ min: 1_600_000_000, max: 2_000_000_000 });

describe('Module: webhook signing', () => {
  describe('Function: signPayload', () => {
    it('signs HMAC-SHA256 over "<t>.<body>" as t=…,v1=<hex>', () => {
      // Prepare
      const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');

      // Act
      const header = signPayload(SECRET, BODY, T);

      // Assess
      expect(header).toBe(`t=${T},v1=${expected}`);
      expect(computeSignature(SECRET, T, BODY)).toBe(expected);
    });
  });

  describe('Function: deliveryHeaders', () => {
    it('sends the signature, event id, event type and delivery id', () => {
      // Act
      const headers = deliveryHeaders(SECRET, BODY, {
        eventId: 'e'.repeat(32),
        eventType: 'customer.created',
        deliveryId: '01JG0000000000000000000000',
        timestamp: T,
      });

      // Assess
      expect(headers).toMatchObject({
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signPayload(SECRET, BODY, T),
        [EVENT_ID_HEADER]: 'e'.repeat(32),
        [EVENT_TYPE_HEADER]: 'customer.created',
        [DELIVERY_ID_HEADER]: '01JG0000000000000000000000',
      });
    });
  });

  describe('Function: parseSignatureHeader', () => {
    it.each([
      ['', 'empty'],
      ['t=1', 'no signature'],
      [`v1=${'a'.repeat(64)}`, 'no timestamp'],
      [`t=abc,v1=${'a'.repeat(64)}`, 'non-numeric timestamp'],
      [`t=1,v1=${'a'.repeat(63)}`, 'short signature'],
      [`t=1,v1=${'A'.repeat(64)}`, 'upper-case hex'],
      [`t=1,t=2,v1=${'a'.repeat(64)}`, 'two timestamps'],
      [`t=1,garbage,v1=${'a'.repeat(64)}`, 'a part without ='],
    ])('rejects %j (%s)', (header) => {
      // Assess
      expect(parseSignatureHeader(header)).toBeUndefined();
    });

    it('keeps every v1 signature and ignores unknown schemes', () => {
      // Act
      const parsed = parseSignatureHeader(`t=5,v0=xyz,v1=${'a'.repeat(64)},v1=${'b'.repeat(64)}`);

      // Assess
      expect(parsed).toEqual({ timestamp: 5, signatures: ['a'.repeat(64), 'b'.repeat(64)] });
    });
  });

  describe('Function: verifySignature', () => {
    it('accepts a fresh signature of the exact body', () => {
      // Assess
      expect(verifySignature(SECRET, signPayload(SECRET, BODY, T), BODY, { now: at(T + 10) })).toBe(true);
    });

    it('rejects a stale timestamp (replay) beyond the tolerance', () => {
      // Assess
      expect(verifySignature(SECRET, signPayload(SECRET, BODY, T), BODY, { now: at(T + 301) })).toBe(false);
      expect(
        verifySignature(SECRET, signPayload(SECRET, BODY, T), BODY, {
          now: at(T + 301),
          toleranceSeconds: 600,
        }),
      ).toBe(true);
    });

    it('rejects a timestamp in the future beyond the tolerance', () => {
      // Assess
      expect(verifySignature(SECRET, signPayload(SECRET, BODY, T), BODY, { now: at(T - 301) })).toBe(false);
    });

    it('rejects a missing or malformed header', () => {
      // Assess
      expect(verifySignature(SECRET, undefined, BODY, { now: at(T) })).toBe(false);
      expect(verifySignature(SECRET, 'v1=abc', BODY, { now: at(T) })).toBe(false);
    });

    it('accepts when any of several v1 signatures matches (secret rotation)', () => {
      // Prepare
      const header = `t=${T},v1=${computeSignature('another-secret-0123456789abcdefghij', T, BODY)},v1=${computeSignature(SECRET, T, BODY)}`;

      // Assess
      expect(verifySignature(SECRET, header, BODY, { now: at(T) })).toBe(true);
    });

    it('property: sign then verify succeeds for any secret, body and time within the tolerance', () => {
      fc.assert(
        fc.property(
          secretArb,
          bodyArb,
          timeArb,
          fc.integer({ min: -300, max: 300 }),
          (secret, body, t, skew) =>
            verifySignature(secret, signPayload(secret, body, t), body, { now: at(t + skew) }),
        ),
      );
    });

    it('property: any other body fails', () => {
      fc.assert(
        fc.property(secretArb, bodyArb, bodyArb, timeArb, (secret, body, other, t) => {
          fc.pre(body !== other);
          return !verifySignature(secret, signPayload(secret, body, t), other, { now: at(t) });
        }),
      );
    });

    it('property: any other secret fails', () => {
      fc.assert(
        fc.property(secretArb, secretArb, bodyArb, timeArb, (secret, other, body, t) => {
          fc.pre(secret !== other);
          return !verifySignature(other, signPayload(secret, body, t), body, { now: at(t) });
        }),
      );
    });

    it('property: a signature moved to another timestamp fails', () => {
      fc.assert(
        fc.property(
          secretArb,
          bodyArb,
          timeArb,
          fc.integer({ min: 1, max: 300 }),
          (secret, body, t, shift) => {
            const forged = `t=${t + shift},v1=${computeSignature(secret, t, body)}`;
            return !verifySignature(secret, forged, body, { now: at(t) });
          },
        ),
      );
    });

    it('property: any time outside the tolerance fails', () => {
      fc.assert(
        fc.property(
          secretArb,
          bodyArb,
          timeArb,
          fc.integer({ min: 301, max: 10_000_000 }),
          fc.boolean(),
          (secret, body, t, distance, past) =>
            !verifySignature(secret, signPayload(secret, body, t), body, {
              now: at(past ? t + distance : t - distance),
            }),
        ),
      );
    });

    it('property: a flipped hex digit fails', () => {
      fc.assert(
        fc.property(
          secretArb,
          bodyArb,
          timeArb,
          fc.integer({ min: 0, max: 63 }),
          (secret, body, t, index) => {
            const mac = computeSignature(secret, t, body);
            const flipped = mac.slice(0, index) + (mac[index] === '0' ? '1' : '0') + mac.slice(index + 1);
            return !verifySignature(secret, `t=${t},v1=${flipped}`, body, { now: at(t) });
          },
        ),
      );
    });
  });
});
