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

  it('accepts a documented non-JSON page (the docs page) and checks only its content type', () => {
    // Prepare
    const docs = systemRoute('docs');
    const page = {
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<html></html>',
    };

    // Act
    const violations = contractViolations(docs, page);
    const asJson = contractViolations(docs, { ...page, headers: { 'content-type': 'application/json' } });

    // Assess
    expect(violations).toEqual([]);
    expect(asJson).toEqual(['content-type application/json, documented text/html']);
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
});
