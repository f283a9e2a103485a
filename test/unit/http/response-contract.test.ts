/** The response-contract check the integration test API applies to every response. */
import { describe, expect, it } from 'vitest';
import { systemRoute } from '#shared/capabilities/system/routes';
import { webhookRoute } from '#shared/capabilities/webhooks/routes';
import { contractViolations } from '../../integration/support/response-contract.ts';

const getWebhook = webhookRoute('getWebhook');
const deleteWebhook = webhookRoute('deleteWebhook');
const webhook = {
  id: '01JG00000000000000000000A1',
  url: 'https://hooks.example.com/relay',
  eventTypes: ['*'],
  active: true,
  createdAt: '2026-12-03T00:00:00.000Z',
  updatedAt: '2026-12-03T00:00:00.000Z',
  version: 1,
};
const json = (statusCode: number, body: unknown, contentType = 'application/json') => ({
  statusCode,
  headers: { 'content-type': contentType },
  body: JSON.stringify(body),
});
const problem = (status: number) => ({
  type: 'https://relay.dev/problems/not-found',
  title: 'Not found',
  status,
  detail: 'Webhook not found.',
  instance: '/webhooks/x',
  correlationId: 'c1',
});

describe('Module: response contract', () => {
  it('accepts the documented status and body', () => {
    // Act & Assess
    expect(contractViolations(getWebhook, json(200, webhook))).toEqual([]);
    expect(contractViolations(deleteWebhook, { statusCode: 204, headers: {}, body: '' })).toEqual([]);
    expect(contractViolations(getWebhook, json(404, problem(404), 'application/problem+json'))).toEqual([]);
  });

  it('accepts a documented HTML page (no schema) by its content type, and reports another content type', () => {
    // Prepare
    const docs = systemRoute('docs');
    const page = (contentType: string) => ({
      statusCode: 200,
      headers: { 'content-type': contentType },
      body: '<!doctype html><title>Relay</title>',
    });

    // Act & Assess
    expect(contractViolations(docs, page('text/html; charset=utf-8'))).toEqual([]);
    expect(contractViolations(docs, page('application/json')).length).toBeGreaterThan(0);
  });

  it.each([
    ['an undocumented field (a leaked secret)', json(200, { ...webhook, sealedSecret: 'kms1.x' })],
    ['a missing documented field', json(200, { ...webhook, url: undefined })],
    ['another success status', json(201, webhook)],
    ['a body where none is documented', { statusCode: 204, headers: {}, body: '{}' }],
    ['an error that is not problem+json', json(404, problem(404))],
    ['a problem whose status is not the HTTP status', json(404, problem(400), 'application/problem+json')],
    ['a problem without its required members', json(400, { message: 'bad' }, 'application/problem+json')],
    [
      'a body that is not JSON',
      { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '<html>' },
    ],
  ])('reports %s', (_name, result) => {
    // Act
    const route = result.statusCode === 204 ? deleteWebhook : getWebhook;
    const violations = contractViolations(route, result);

    // Assess
    expect(violations.length).toBeGreaterThan(0);
  });

  it('accepts any one of the content types a route documents, and no other', () => {
    // Prepare
    const docsAsset = systemRoute('docsAsset');
    const text = (contentType: string) => ({
      statusCode: 200,
      headers: { 'content-type': contentType },
      body: 'x',
    });

    // Act & Assess
    expect(contractViolations(docsAsset, text('text/javascript; charset=utf-8'))).toEqual([]);
    expect(contractViolations(docsAsset, text('text/css; charset=utf-8'))).toEqual([]);
    expect(contractViolations(docsAsset, text('text/html'))).toEqual([
      'content-type text/html, documented text/javascript; charset=utf-8 or text/css; charset=utf-8',
    ]);
    expect(contractViolations(systemRoute('docs'), text('text/html'))).toEqual([]);
  });
});
