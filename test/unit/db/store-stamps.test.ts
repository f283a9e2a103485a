/**
 * Every write of an audited entity says who made it (`lastChange`), stamped by the stores from the
 * request context the edge set — no handler passes it along — and no API response shows it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as customers } from '#functions/http/customers/index';
import { createCompanyStore } from '#shared/db/company-store';
import { cursorKeyRing, staticCursorKeys } from '#shared/db/cursor';
import { customerProfileKey } from '#shared/db/keys';
import { createSettingsStore } from '#shared/db/settings-store';
import { createWebhookStore } from '#shared/db/webhook-store';
import type { Company } from '#shared/domain/companies/schemas';
import { LAST_CHANGE, runWithRequestContext } from '#shared/http/request-context';
import { httpEvent, lambdaContext, subFor } from '#test/unit/support/events';

const ID = '01JD8X3Q9Z7N6M5K4H3G2F1E0D';
const TABLE = 'relay-test';
const KEYS = staticCursorKeys(cursorKeyRing('k1', { k1: 'relay-unit-tests-cursor-key-0123456789abcdefgh' }));
/** `requestContext.http.sourceIp` of the API Gateway fixture. */
const FIXTURE_SOURCE_IP = '203.0.113.17';

const documentClient = mockClient(DynamoDBDocumentClient);
const lowLevelClient = mockClient(DynamoDBClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));

const admin = {
  actor: { type: 'user' as const, id: 'admin-sub' },
  roles: ['admin'],
  correlationId: 'corr-admin',
  sourceIp: '198.51.100.7',
};

type Item = Record<string, unknown>;
const putItemsOf = (): Item[] =>
  documentClient
    .commandCalls(TransactWriteCommand)
    .flatMap((call) => call.args[0].input.TransactItems ?? [])
    .flatMap((item) => (item.Put?.Item ? [item.Put.Item as Item] : []));

beforeEach(() => {
  documentClient.reset();
  lowLevelClient.reset();
});

describe('HTTP edge → stores: lastChange', () => {
  it('stamps the caller, role, correlation id and source IP on the customer profile it creates', async () => {
    // Prepare
    documentClient.onAnyCommand().resolves({});
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: { firstName: 'Ada', lifecycleStage: 'lead' },
      role: 'sales',
      headers: { 'x-correlation-id': 'corr-create-1' },
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(201);
    const profile = putItemsOf().find((item) => item.entity === 'customer');
    expect(profile?.[LAST_CHANGE]).toEqual({
      actor: { type: 'user', id: subFor('sales') },
      roles: ['sales'],
      correlationId: 'corr-create-1',
      sourceIp: FIXTURE_SOURCE_IP,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(JSON.parse(response.body ?? '{}')).not.toHaveProperty(LAST_CHANGE);
  });

  it('stamps timeline entries but not the items other writers own (stats, guards)', async () => {
    // Prepare
    documentClient.onAnyCommand().resolves({});
    const event = httpEvent({
      routeKey: 'POST /customers',
      path: '/customers',
      body: { firstName: 'Ada', emails: [{ address: 'ada@example.com' }], lifecycleStage: 'lead' },
      role: 'sales',
    });

    // Act
    await customers(event, lambdaContext());

    // Assess
    const items = putItemsOf();
    const stampedEntities = items.filter((item) => LAST_CHANGE in item).map((item) => item.entity);
    const unstamped = items.filter((item) => !(LAST_CHANGE in item)).map((item) => item.entity);
    expect(stampedEntities).toEqual(expect.arrayContaining(['customer', 'timelineEntry']));
    expect(unstamped).toEqual(expect.arrayContaining(['customerStats', 'uniqueEmail']));
    expect(unstamped).not.toContain('customer');
    expect(unstamped).not.toContain('timelineEntry');
  });

  it('stamps the editor, not the creator, when a customer is updated', async () => {
    // Prepare
    const stored = {
      ...customerProfileKey(ID),
      entity: 'customer',
      id: ID,
      firstName: 'Ada',
      emails: [],
      phones: [],
      tags: [],
      lifecycleStage: 'lead',
      createdAt: '2026-11-01T09:00:00.000Z',
      updatedAt: '2026-11-01T09:00:00.000Z',
      version: 1,
      [LAST_CHANGE]: {
        actor: { type: 'user', id: 'creator' },
        roles: ['sales'],
        at: '2026-11-01T09:00:00.000Z',
      },
    };
    documentClient.onAnyCommand().resolves({});
    documentClient.on(GetCommand).resolves({ Item: stored });
    const event = httpEvent({
      routeKey: 'PATCH /customers/{id}',
      path: `/customers/${ID}`,
      pathParameters: { id: ID },
      body: { lifecycleStage: 'customer' },
      headers: { 'if-match': '"1"', 'x-correlation-id': 'corr-edit-1' },
      role: 'marketing',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    const profile = putItemsOf().find((item) => item.entity === 'customer');
    expect(profile?.[LAST_CHANGE]).toMatchObject({
      actor: { type: 'user', id: subFor('marketing') },
      roles: ['marketing'],
      correlationId: 'corr-edit-1',
    });
    const lifecycle = putItemsOf().find((item) => item.type === 'lifecycle_change');
    expect(lifecycle?.[LAST_CHANGE]).toMatchObject({ actor: { type: 'user', id: subFor('marketing') } });
    expect(JSON.parse(response.body ?? '{}')).not.toHaveProperty(LAST_CHANGE);
  });

  it('never returns the stored lastChange in a read', async () => {
    // Prepare
    documentClient.on(GetCommand).resolves({
      Item: {
        ...customerProfileKey(ID),
        entity: 'customer',
        id: ID,
        firstName: 'Ada',
        version: 1,
        [LAST_CHANGE]: {
          actor: { type: 'user', id: 'someone' },
          sourceIp: '192.0.2.1',
          at: '2026-11-01T09:00:00.000Z',
        },
      },
    });
    const event = httpEvent({
      routeKey: 'GET /customers/{id}',
      path: `/customers/${ID}`,
      pathParameters: { id: ID },
      role: 'analyst',
    });

    // Act
    const response = await customers(event, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('192.0.2.1');
    expect(JSON.parse(response.body ?? '{}')).not.toHaveProperty(LAST_CHANGE);
  });
});

describe('Stores outside a transaction: lastChange', () => {
  it('SETs lastChange in the company update (an Update, so contactsCount survives)', async () => {
    // Prepare
    documentClient.onAnyCommand().resolves({});
    const store = createCompanyStore(client, TABLE, KEYS);
    const before = { id: ID, name: 'Acme', version: 1 } as unknown as Company;
    const after = { id: ID, name: 'Acme Ltd', version: 2 } as unknown as Company;

    // Act
    await runWithRequestContext(admin, () => store.replace(before, after));

    // Assess
    const update =
      documentClient.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
    const names = update?.ExpressionAttributeNames ?? {};
    const placeholder = Object.keys(names).find((key) => names[key] === LAST_CHANGE);
    expect(placeholder).toBeDefined();
    expect(update?.UpdateExpression).toContain(`${placeholder} = :${placeholder?.slice(1)}`);
    expect(update?.ExpressionAttributeValues?.[`:${placeholder?.slice(1)}`]).toMatchObject(admin);
  });

  it('stamps the webhook deactivation with its writer', async () => {
    // Prepare
    documentClient.onAnyCommand().resolves({});
    const store = createWebhookStore(client, TABLE, KEYS);

    // Act
    await runWithRequestContext({ actor: { type: 'system', id: 'record-delivery' } }, () =>
      store.deactivate(ID, '2026-12-02T10:00:00.000Z'),
    );

    // Assess
    const input = documentClient.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.UpdateExpression).toMatch(/^SET #lastChange = :lastChange, active = :false/);
    expect(input?.ExpressionAttributeNames?.['#lastChange']).toBe(LAST_CHANGE);
    expect(input?.ExpressionAttributeValues?.[':lastChange']).toEqual({
      actor: { type: 'system', id: 'record-delivery' },
      at: '2026-12-02T10:00:00.000Z',
    });
  });

  it('stamps the settings item with the admin who saved it', async () => {
    // Prepare
    documentClient.onAnyCommand().resolves({});
    const store = createSettingsStore(client, TABLE);

    // Act
    await runWithRequestContext(admin, () =>
      store.putAttributeDefinitions([], 0, '2026-12-02T10:00:00.000Z'),
    );

    // Assess
    const item = documentClient.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(item?.entity).toBe('config');
    expect(item?.[LAST_CHANGE]).toMatchObject(admin);
  });
});
