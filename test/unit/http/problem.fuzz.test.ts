/**
 * Fuzz of the error mapper (as middyjs/middy:packages/http-error-handler/index.fuzz.js does for
 * its handler): whatever is thrown, the reply is a well-formed problem+json with a valid status,
 * and nothing from a non-Relay error reaches the client.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  IdempotencyKeyReuseError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  PreconditionRequiredError,
  type RelayError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/errors';
import { PROBLEM_CONTENT_TYPE, problemResponse } from '#shared/http/problem';

const INSTANCE = '/customers';
const CORRELATION_ID = 'corr-0123456789';

/** Text that looks like something worth stealing: keys, connection strings, emails, phone numbers. */
const secretArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{16,32}$/).map((s) => `sk_live_${s}`),
  fc.stringMatching(/^[A-Z0-9]{16}$/).map((s) => `AKIA${s}`),
  fc.stringMatching(/^[a-z]{3,10}$/).map((s) => `${s}.lovelace+crm@example.org`),
  fc.stringMatching(/^\d{9,12}$/).map((s) => `+49${s}`),
  fc.stringMatching(/^[a-z0-9]{8,20}$/).map((s) => `postgres://admin:${s}@db.internal:5432/relay`),
);

const relayErrors = [
  ValidationError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  MethodNotAllowedError,
  PreconditionFailedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  IdempotencyKeyReuseError,
  PreconditionRequiredError,
] as const;

const relayErrorArb: fc.Arbitrary<RelayError> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...relayErrors),
      fc.string(),
      fc.array(fc.record({ path: fc.string(), message: fc.string() })),
    )
    .map(([ErrorClass, detail, errors]) => new ErrorClass(detail, { errors })),
  fc
    .tuple(fc.string(), fc.stringMatching(/^[a-z-]{1,30}$/), fc.string())
    .map(([detail, slug, title]) => new ConflictError(detail, { slug, title })),
);

/** Anything a bug can throw that is not a Relay error, built around a secret. */
const foreignThrownArb = secretArb.chain((secret) =>
  fc.record({
    secret: fc.constant(secret),
    thrown: fc.oneof(
      fc.constant<unknown>(new Error(secret)),
      fc.constant<unknown>(new TypeError(`Cannot read properties of undefined (reading '${secret}')`)),
      fc.constant<unknown>(
        Object.assign(new Error('ValidationException'), {
          name: 'ValidationException',
          detail: secret,
          $metadata: { httpStatusCode: 400 },
        }),
      ),
      fc.constant<unknown>(Object.assign(new Error(secret), { status: 404, statusCode: 404, expose: true })),
      fc.constant<unknown>(secret),
      fc.constant<unknown>({ message: secret, status: 400 }),
      fc.constant<unknown>({ toString: () => secret }),
      fc.constant<unknown>(new AggregateError([new Error(secret)], 'several failures')),
      fc.constant<unknown>(new Error('wrapped', { cause: secret })),
    ),
  }),
);

const anythingArb: fc.Arbitrary<unknown> = fc.oneof(
  relayErrorArb,
  foreignThrownArb.map(({ thrown }) => thrown),
  fc.constantFrom<unknown>(null, undefined, 0, Number.NaN, true, Symbol('thrown')),
  fc.anything(),
);

describe('Fuzz: problemResponse', () => {
  it('answers any thrown value with a status between 100 and 599', () => {
    fc.assert(
      fc.property(anythingArb, (thrown) => {
        // Act
        const response = problemResponse(thrown, INSTANCE, CORRELATION_ID);

        // Assess
        expect(Number.isInteger(response.statusCode)).toBe(true);
        expect(response.statusCode).toBeGreaterThanOrEqual(100);
        expect(response.statusCode).toBeLessThanOrEqual(599);
      }),
      { numRuns: 300 },
    );
  });

  it('answers any thrown value with a complete problem+json body', () => {
    fc.assert(
      fc.property(anythingArb, (thrown) => {
        // Act
        const response = problemResponse(thrown, INSTANCE, CORRELATION_ID);

        // Assess
        expect(response.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
        const body = JSON.parse(response.body ?? '');
        expect(body).toEqual(
          expect.objectContaining({
            type: expect.stringMatching(/^https:\/\/relay\.dev\/problems\/[a-z-]+$/),
            title: expect.any(String),
            status: response.statusCode,
            detail: expect.any(String),
            instance: INSTANCE,
            correlationId: CORRELATION_ID,
          }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('never puts the message, stack or fields of a non-Relay error in the reply', () => {
    fc.assert(
      fc.property(foreignThrownArb, ({ secret, thrown }) => {
        // Act
        const response = problemResponse(thrown, INSTANCE, CORRELATION_ID);

        // Assess
        const reply = JSON.stringify(response);
        expect(response.statusCode).toBe(500);
        expect(reply).not.toContain(secret);
        expect(reply).not.toMatch(/\bat .+:\d+:\d+/);
        expect(reply).not.toContain('.ts');
      }),
      { numRuns: 300 },
    );
  });

  it('exposes a Relay error as its own status and detail', () => {
    fc.assert(
      fc.property(relayErrorArb, (error) => {
        // Act
        const response = problemResponse(error, INSTANCE, CORRELATION_ID);

        // Assess
        const body = JSON.parse(response.body ?? '');
        expect(response.statusCode).toBe(error.status);
        expect(response.statusCode).toBeLessThan(500);
        expect(body.detail).toBe(error.message);
        expect(JSON.stringify(response)).not.toContain(error.stack ?? '\u0000');
      }),
      { numRuns: 200 },
    );
  });
});
