import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageConfig } from '#infra/config/stages';
import { localCorsOf } from '#infra/local/cors';
import type { AreaHandler } from '#infra/local/http';
import { startTestApi, type TestApi, useTestTable } from '#test/integration/support/local-cloud';
import { type RawResponse, rawRequest } from './support/raw-request.ts';

/**
 * The local gateway answers CORS as the dev stage's HTTP API does: preflights by the gateway
 * (no function call), allowed origins only, and the configured headers on every response.
 */

const corsHeaderNames = (headers: RawResponse['headers']): string[] =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

describe('Module: local API Gateway CORS (stage dev)', () => {
  const cors = stageConfig('dev').api.cors;
  const [allowed] = cors.allowOrigins;
  if (!allowed) throw new Error('dev allows no CORS origin');
  const calls: string[] = [];
  let api: TestApi;

  // A function that sets its own CORS headers, which API Gateway ignores once CORS is configured.
  const echo: AreaHandler = async (event) => {
    calls.push(`${event.requestContext.http.method} ${event.rawPath}`);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'application/json',
        etag: '"v1"',
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'TRACE',
        vary: 'accept',
      },
      body: '{"ok":true}',
    };
  };

  beforeAll(async () => {
    await useTestTable('local-cors');
    api = await startTestApi({
      handlers: { customers: echo, companies: echo },
      logger: { info: () => undefined, error: () => undefined },
      cors: localCorsOf(cors),
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers a preflight from an allowed origin itself: 204 with the stage configuration', async () => {
    // Prepare
    calls.length = 0;

    // Act
    const response = await rawRequest(`${api.url}/customers`, {
      method: 'OPTIONS',
      headers: {
        origin: allowed,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });

    // Assess
    expect(response.status).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers['access-control-allow-origin']).toBe(allowed);
    expect(response.headers['access-control-allow-methods']).toBe(cors.allowMethods.join(','));
    expect(response.headers['access-control-allow-headers']).toBe(cors.allowHeaders.join(','));
    expect(response.headers['access-control-max-age']).toBe(String(cors.maxAge.toSeconds()));
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('answers preflights for paths without a route too (the gateway, not a route, answers them)', async () => {
    // Act
    const response = await rawRequest(`${api.url}/no/such/path`, {
      method: 'OPTIONS',
      headers: { origin: allowed, 'access-control-request-method': 'GET' },
    });

    // Assess
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(allowed);
  });

  it('gives a preflight from a disallowed origin no CORS header and calls no function', async () => {
    // Prepare
    calls.length = 0;

    // Act
    const response = await rawRequest(`${api.url}/customers`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });

    // Assess
    expect(response.status).toBe(204);
    expect(corsHeaderNames(response.headers)).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('adds allow-origin, expose-headers and vary: origin to a response for an allowed origin', async () => {
    // Prepare
    const token = await api.token('sales');

    // Act
    const response = await rawRequest(`${api.url}/customers`, {
      headers: { origin: allowed, authorization: `Bearer ${token}` },
    });

    // Assess: the gateway's headers replace the function's CORS headers
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(allowed);
    expect(response.headers['access-control-expose-headers']).toBe(cors.exposeHeaders.join(','));
    expect(response.headers['access-control-allow-methods']).toBeUndefined();
    expect(response.headers.vary).toBe('accept, origin');
    expect(response.headers.etag).toBe('"v1"');
  });

  it('adds the CORS headers to the gateway’s own answers (a 401 problem) too', async () => {
    // Act
    const response = await rawRequest(`${api.url}/customers`, { headers: { origin: allowed } });

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers['access-control-allow-origin']).toBe(allowed);
    expect(response.headers['access-control-expose-headers']).toBe(cors.exposeHeaders.join(','));
  });

  it('adds no CORS header for a disallowed origin, and drops the function’s', async () => {
    // Prepare
    const token = await api.token('sales');

    // Act
    const response = await rawRequest(`${api.url}/customers`, {
      headers: { origin: 'http://localhost:9999', authorization: `Bearer ${token}` },
    });

    // Assess
    expect(response.status).toBe(200);
    expect(corsHeaderNames(response.headers)).toEqual([]);
    expect(response.headers.vary).toBe('accept');
  });

  it('treats OPTIONS without access-control-request-method as an ordinary request (no route)', async () => {
    // Act
    const response = await rawRequest(`${api.url}/customers`, {
      method: 'OPTIONS',
      headers: { origin: allowed },
    });

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers['access-control-allow-origin']).toBe(allowed);
  });
});
