/**
 * The HTTP edge end to end, through the real area routers and route handlers, on faithful payload
 * 2.0 events. DynamoDB is mocked (aws-sdk-client-mock) so the tests can prove which requests fail
 * before any database call. The logger runs at INFO and its output is captured, so the tests can
 * also prove that what clients send never reaches the log.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const previousLogLevels = vi.hoisted(() => {
  const previous = {
    powertools: process.env.POWERTOOLS_LOG_LEVEL,
    lambda: process.env.AWS_LAMBDA_LOG_LEVEL,
  };
  // Set before the logger module loads: it reads the level once, at construction.
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  delete process.env.AWS_LAMBDA_LOG_LEVEL;
  return previous;
});

import { handler as customers } from '#functions/http/customers/index';
import { handler as system } from '#functions/http/system/index';
import { MAX_BODY_BYTES } from '#shared/http/request';
import { httpEvent, lambdaContext } from '#test/unit/support/events';
import { captureProcessOutput } from '#test/unit/support/output';

const ID = '01JD8X3Q9Z7N6M5K4H3G2F1E0D';
const REQUEST_ID = 'JKJaXmPLvHcESHA=';

const documentClient = mockClient(DynamoDBDocumentClient);
const lowLevelClient = mockClient(DynamoDBClient);

/** Every line the process writes to stdout/stderr during a test (the logger's output). */
let written: string[] = [];

const problemOf = (response: { body?: string | undefined }) => JSON.parse(response.body ?? 'null');
const databaseCalls = () => documentClient.calls().length + lowLevelClient.calls().length;

/** A new customer with personal data in every field the logger must never see. */
const personalCustomer = () => ({
  firstName: 'Augusta',
  lastName: 'Byron-King',
  emails: [{ address: 'augusta.king@lovelace.example', primary: true }],
  phones: [{ number: '+441632960961' }],
  jobTitle: 'Analyst of the Engine',
});
const personalData = [
  'Augusta',
  'Byron-King',
  'augusta.king@lovelace.example',
  '+441632960961',
  '1632960961',
];

describe('Function: handler (system area)', () => {
  beforeEach(() => {
    written = [];
    documentClient.reset();
    lowLevelClient.reset();
    captureProcessOutput(written);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = previousLogLevels.powertools;
    if (previousLogLevels.lambda !== undefined) process.env.AWS_LAMBDA_LOG_LEVEL = previousLogLevels.lambda;
  });

  it('answers the health check without a token', async () => {
    // Prepare
    const event = httpEvent({ routeKey: 'GET /health', path: '/health' });

    // Act
    const response = await system(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'application/json',
      'x-correlation-id': REQUEST_ID,
    });
    expect(JSON.parse(response.body ?? '')).toEqual({ status: 'ok', stage: process.env.STAGE });
  });

  it('serves the OpenAPI 3.1 document', async () => {
    // Prepare
    const event = httpEvent({ routeKey: 'GET /openapi.json', path: '/openapi.json' });

    // Act
    const response = await system(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'cache-control': 'public, max-age=300' });
    expect(JSON.parse(response.body ?? '')).toMatchObject({
      openapi: '3.1.0',
      info: { title: 'Relay CRM API' },
    });
  });

  it('serves the docs page as HTML', async () => {
    // Prepare
    const event = httpEvent({ routeKey: 'GET /docs', path: '/docs' });

    // Act
    const response = await system(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/html');
    expect(response.body).toMatch(/^<!doctype html>/);
    expect(response.headers?.['content-security-policy']).toContain("script-src 'self'");
  });

  it('rejects query parameters on a public route', async () => {
    // Prepare
    const event = httpEvent({ routeKey: 'GET /health', path: '/health', query: { verbose: '1' } });

    // Act
    const response = await system(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors).toEqual([
      { path: 'query.verbose', message: 'unknown parameter', code: 'unrecognized_keys' },
    ]);
  });

  it('answers an unknown route key with a 404 problem', async () => {
    // Prepare
    const event = httpEvent({ routeKey: 'GET /status', path: '/status' });

    // Act
    const response = await system(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(problemOf(response)).toMatchObject({
      type: 'https://relay.dev/problems/not-found',
      status: 404,
      instance: '/status',
      correlationId: REQUEST_ID,
    });
  });
});

describe('Function: handler (customers area)', () => {
  beforeEach(() => {
    written = [];
    documentClient.reset();
    lowLevelClient.reset();
    captureProcessOutput(written);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers 401 when the request has no authorizer context', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'GET /customers/{id}',
      path: `/customers/${ID}`,
      pathParameters: { id: ID },
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(401);
    expect(problemOf(response)).toMatchObject({
      type: 'https://relay.dev/problems/unauthorized',
      status: 401,
    });
    expect(databaseCalls()).toBe(0);
  });

  it('answers 401 before it looks at the body', async () => {
    // Prepare
    const event = httpEvent({ routeKey: 'POST /customers', path: '/customers', body: '{not json' });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(401);
  });

  it('answers 403 when an analyst creates a customer', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: personalCustomer(),
      role: 'analyst',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(403);
    expect(problemOf(response)).toMatchObject({
      type: 'https://relay.dev/problems/forbidden',
      detail: 'Your role does not allow this (needs the customers.write scope).',
    });
    expect(databaseCalls()).toBe(0);
  });

  it('answers 403 to a forbidden caller even when the body is invalid', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: '{not json',
      role: 'analyst',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(403);
  });

  it('answers 400 with field paths for an invalid body', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: { firstName: 'Ada', emails: [{ address: 'ada-at-example' }], source: 'x'.repeat(101) },
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(
      problemOf(response)
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['body.emails[0].address', 'body.source']);
    expect(databaseCalls()).toBe(0);
  });

  it('answers 400 for a customer with neither name nor email', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: { tags: ['vip'] },
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).type).toBe('https://relay.dev/problems/validation-error');
  });

  it('answers 415 for a body that is not JSON', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: 'firstName=Ada',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(415);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'accept-post': 'application/json',
    });
    expect(databaseCalls()).toBe(0);
  });

  it('answers 413 for a body over the size limit', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: { firstName: 'Ada', jobTitle: 'x'.repeat(MAX_BODY_BYTES) },
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(413);
    expect(problemOf(response).type).toBe('https://relay.dev/problems/payload-too-large');
    expect(databaseCalls()).toBe(0);
  });

  it('answers 428 to a PATCH without If-Match or version', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'PATCH /customers/{id}',
      path: `/customers/${ID}`,
      pathParameters: { id: ID },
      body: { jobTitle: 'Countess' },
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(428);
    expect(problemOf(response).type).toBe('https://relay.dev/problems/precondition-required');
    expect(databaseCalls()).toBe(0);
  });

  it('honours If-Match on the optionally versioned PUT /settings/customer-attributes (stale → 412)', async () => {
    // Prepare
    documentClient
      .on(GetCommand)
      .resolves({ Item: { pk: 'CONFIG', sk: 'customer-attributes', definitions: [], version: 2 } });
    const event = httpEvent({
      routeKey: 'PUT /settings/customer-attributes',
      path: '/settings/customer-attributes',
      body: { definitions: [] },
      headers: { 'if-match': '"1"' },
      role: 'admin',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(412);
    expect(documentClient.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('takes a DELETE version from a {"version": n} body as documented (no 428)', async () => {
    // Prepare
    documentClient.on(GetCommand).resolves({
      Item: { pk: `CUS#${ID}`, sk: 'PROFILE', entity: 'customer', id: ID, version: 3, emails: [] },
    });
    const event = httpEvent({
      routeKey: 'DELETE /customers/{id}',
      path: `/customers/${ID}`,
      pathParameters: { id: ID },
      body: { version: 2 },
      role: 'admin',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(412);
    expect(documentClient.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 400 to a DELETE body that is anything but {"version": n}', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'DELETE /customers/{id}',
      path: `/customers/${ID}`,
      pathParameters: { id: ID },
      body: { version: 2, force: true },
      role: 'admin',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors.map((e: { path: string }) => e.path)).toEqual(['body.force']);
    expect(databaseCalls()).toBe(0);
  });

  it('answers 400 to a PATCH whose If-Match is not a version', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'PATCH /customers/{id}',
      path: `/customers/${ID}`,
      pathParameters: { id: ID },
      body: { jobTitle: 'Countess' },
      headers: { 'if-match': '*' },
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors).toEqual([{ path: 'header.if-match', message: 'not a version ETag' }]);
  });

  it('answers 400 to a DELETE with an invalid id, before any version check', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'DELETE /customers/{id}',
      path: '/customers/42',
      pathParameters: { id: '42' },
      role: 'admin',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors[0].path).toBe('path.id');
  });

  it('answers 400 to an Idempotency-Key that is not visible ASCII', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: personalCustomer(),
      headers: { 'idempotency-key': 'key with spaces' },
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors[0].path).toBe('header.idempotency-key');
    expect(databaseCalls()).toBe(0);
  });

  it('answers an unknown route key with a 404 problem', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'GET /customers/{id}/deals',
      path: `/customers/${ID}/deals`,
      role: 'admin',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(404);
    expect(problemOf(response)).toMatchObject({ status: 404, instance: `/customers/${ID}/deals` });
  });

  it('uses a well-formed x-correlation-id from the client', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: '{}',
      headers: { 'x-correlation-id': 'web-7f3a2c' },
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.headers?.['x-correlation-id']).toBe('web-7f3a2c');
    expect(problemOf(response).correlationId).toBe('web-7f3a2c');
  });

  it('replaces a malformed x-correlation-id with the request id', async () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: '{}',
      headers: { 'x-correlation-id': '<script>alert(1)</script>' },
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(problemOf(response).correlationId).toBe(REQUEST_ID);
  });

  it('creates a customer and answers 201 with location and ETag', async () => {
    // Prepare
    documentClient.onAnyCommand().resolves({});
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: personalCustomer(),
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    const created = JSON.parse(response.body ?? '');
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ location: `/customers/${created.id}`, etag: '"1"' });
    expect(documentClient.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('turns a database failure into a 500 that reveals nothing', async () => {
    // Prepare
    documentClient.onAnyCommand().rejects(new Error('connect ECONNREFUSED 10.0.3.7:8000 (relay-prod)'));
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: personalCustomer(),
      role: 'sales',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(problemOf(response)).toMatchObject({
      type: 'https://relay.dev/problems/internal-error',
      status: 500,
    });
  });

  describe('Logging', () => {
    it('writes one access-log line with route, status and correlation id', async () => {
      // Prepare
      const event = httpEvent({ routeKey: 'POST /customers', path: '/customers', body: '{}', role: 'sales' });

      // Act
      await customers(event, lambdaContext());

      // Assess
      const lines = written.map((line) => JSON.parse(line));
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'INFO',
          message: 'request rejected',
          route: 'createCustomer',
          status: 400,
          problem: 'validation-error',
          correlationId: REQUEST_ID,
        }),
      ]);
    });

    it('never writes the personal data of a rejected request', async () => {
      // Prepare
      const event = httpEvent({
        routeKey: 'POST /customers',
        path: '/customers',
        body: { ...personalCustomer(), lifecycleStage: 'vip' },
        role: 'sales',
      });

      // Act
      const response = await customers(event, lambdaContext());

      // Assess
      expect(response.statusCode).toBe(400);
      expect(written.length).toBeGreaterThan(0);
      for (const value of personalData) expect(written.join('\n')).not.toContain(value);
    });

    it('never writes the personal data of a created customer', async () => {
      // Prepare
      documentClient.onAnyCommand().resolves({});
      const event = httpEvent({
        routeKey: 'POST /customers',
        path: '/customers',
        body: personalCustomer(),
        role: 'sales',
      });

      // Act
      const response = await customers(event, lambdaContext());

      // Assess
      expect(response.statusCode).toBe(201);
      expect(written.join('\n')).toContain('request handled');
      for (const value of personalData) expect(written.join('\n')).not.toContain(value);
    });

    it('never writes the personal data of a request that fails', async () => {
      // Prepare
      documentClient.onAnyCommand().rejects(new Error('Service unavailable'));
      const event = httpEvent({
        routeKey: 'POST /customers',
        path: '/customers',
        body: personalCustomer(),
        role: 'sales',
      });

      // Act
      const response = await customers(event, lambdaContext());

      // Assess
      expect(response.statusCode).toBe(500);
      expect(written.join('\n')).toContain('request failed');
      for (const value of personalData) expect(written.join('\n')).not.toContain(value);
    });

    it('never writes personal data carried in an unexpected error message', async () => {
      // Prepare
      documentClient
        .onAnyCommand()
        .rejects(new Error('Condition failed for augusta.king@lovelace.example (+441632960961)'));
      const event = httpEvent({
        routeKey: 'POST /customers',
        path: '/customers',
        body: personalCustomer(),
        role: 'sales',
      });

      // Act
      const response = await customers(event, lambdaContext());

      // Assess
      expect(response.statusCode).toBe(500);
      const failed = written
        .map((line) => JSON.parse(line))
        .find((line) => line.message === 'request failed');
      expect(failed?.error).toMatchObject({ type: 'Error' });
      expect(failed?.error.stack).toContain('[email]');
      for (const value of personalData) expect(written.join('\n')).not.toContain(value);
    });

    it('never writes the bearer token or query string', async () => {
      // Prepare
      const event = httpEvent({
        routeKey: 'GET /customers',
        path: '/customers',
        query: { email: 'augusta.king@lovelace.example', limit: '999' },
        role: 'sales',
      });

      // Act
      const response = await customers(event, lambdaContext());

      // Assess
      expect(response.statusCode).toBe(400);
      expect(written.join('\n')).not.toContain('augusta.king@lovelace.example');
      expect(written.join('\n')).not.toContain('Bearer');
    });
  });
});
