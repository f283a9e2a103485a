/** RFC 9457 problem+json: the one mapping from thrown values to HTTP responses. */
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
import { PROBLEM_BASE, PROBLEM_CONTENT_TYPE, problemOf, problemResponse } from '#shared/http/problem';

const INSTANCE = '/customers/01JD8X3Q9Z7N6M5K4H3G2F1E0D';
const CORRELATION_ID = 'JKJaXmPLvHcESHA=';

const bodyOf = (response: { body?: string | undefined }): Record<string, unknown> =>
  JSON.parse(response.body ?? 'null');

describe('Function: problemResponse', () => {
  it.each<[string, RelayError, number, string]>([
    ['ValidationError', new ValidationError('bad'), 400, 'validation-error'],
    ['UnauthorizedError', new UnauthorizedError('no token'), 401, 'unauthorized'],
    ['ForbiddenError', new ForbiddenError('no scope'), 403, 'forbidden'],
    ['NotFoundError', new NotFoundError('gone'), 404, 'not-found'],
    ['MethodNotAllowedError', new MethodNotAllowedError('no'), 405, 'method-not-allowed'],
    ['ConflictError', new ConflictError('dupe'), 409, 'conflict'],
    ['PreconditionFailedError', new PreconditionFailedError('changed'), 412, 'version-mismatch'],
    ['PayloadTooLargeError', new PayloadTooLargeError('big'), 413, 'payload-too-large'],
    ['UnsupportedMediaTypeError', new UnsupportedMediaTypeError('xml'), 415, 'unsupported-media-type'],
    ['IdempotencyKeyReuseError', new IdempotencyKeyReuseError('reused'), 422, 'idempotency-key-reuse'],
    ['PreconditionRequiredError', new PreconditionRequiredError('version'), 428, 'precondition-required'],
  ])('maps a %s to its status and problem type', (_name, error, status, slug) => {
    // Act
    const response = problemResponse(error, INSTANCE, CORRELATION_ID);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(bodyOf(response)).toEqual({
      type: `${PROBLEM_BASE}${slug}`,
      title: error.title,
      status,
      detail: error.message,
      instance: INSTANCE,
      correlationId: CORRELATION_ID,
    });
  });

  it('sends the problem+json content type and the correlation id header', () => {
    // Act
    const response = problemResponse(new NotFoundError('Customer not found.'), INSTANCE, CORRELATION_ID);

    // Assess
    expect(response.headers).toEqual({
      'content-type': PROBLEM_CONTENT_TYPE,
      'x-correlation-id': CORRELATION_ID,
    });
  });

  it('lists the field errors of a validation error', () => {
    // Prepare
    const error = new ValidationError('The request body is not valid.', {
      errors: [{ path: 'body.emails[0].address', message: 'Invalid email address', code: 'invalid_format' }],
    });

    // Act
    const response = problemResponse(error, INSTANCE, CORRELATION_ID);

    // Assess
    expect(bodyOf(response).errors).toEqual([
      { path: 'body.emails[0].address', message: 'Invalid email address', code: 'invalid_format' },
    ]);
  });

  it('leaves out an empty field error list', () => {
    // Act
    const problem = problemOf(new ValidationError('bad', { errors: [] }), INSTANCE, CORRELATION_ID);

    // Assess
    expect(problem).not.toHaveProperty('errors');
  });

  it('uses the slug and title a conflict error is given', () => {
    // Prepare
    const error = new ConflictError('Another customer already uses this email address.', {
      slug: 'duplicate-email',
      title: 'Email address already in use',
    });

    // Act
    const problem = problemOf(error, INSTANCE, CORRELATION_ID);

    // Assess
    expect(problem.type).toBe('https://relay.dev/problems/duplicate-email');
    expect(problem.title).toBe('Email address already in use');
  });

  it('merges the headers a Relay error carries', () => {
    // Prepare
    const error = new UnsupportedMediaTypeError('Send the body as application/json.', {
      headers: { 'accept-post': 'application/json' },
    });

    // Act
    const response = problemResponse(error, INSTANCE, CORRELATION_ID);

    // Assess
    expect(response.headers).toMatchObject({
      'content-type': PROBLEM_CONTENT_TYPE,
      'accept-post': 'application/json',
    });
  });

  it('turns an unexpected error into a generic 500 that hides its message', () => {
    // Prepare
    const error = new TypeError("Cannot read properties of undefined (reading 'ada@example.com')");

    // Act
    const response = problemResponse(error, INSTANCE, CORRELATION_ID);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual({
      type: 'https://relay.dev/problems/internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'Something went wrong on our side. Quote the correlation id when you report it.',
      instance: INSTANCE,
      correlationId: CORRELATION_ID,
    });
  });

  it('treats an object shaped like a Relay error as unexpected', () => {
    // Prepare
    const lookalike = { status: 400, slug: 'validation-error', title: 'x', message: 'DROP TABLE relay' };

    // Act
    const response = problemResponse(lookalike, INSTANCE, CORRELATION_ID);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('DROP TABLE');
  });

  it('does not expose the cause of a Relay error', () => {
    // Prepare
    const error = new ValidationError('The linked company does not exist.', {
      cause: new Error('ConditionalCheckFailed on COM#01JF0000000000000000000000'),
    });

    // Act
    const response = problemResponse(error, INSTANCE, CORRELATION_ID);

    // Assess
    expect(response.body).not.toContain('ConditionalCheckFailed');
    expect(response.body).not.toContain('COM#');
  });
});
