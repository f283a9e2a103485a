/**
 * `stampUpdate` (lastChange joined to any Update expression) and the `transactWrite` safety net
 * (an audited Put that no item builder stamped is stamped anyway).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { LAST_CHANGE, stamp, stampUpdate, transactWrite } from '#shared/db/dynamo';
import { runWithRequestContext } from '#shared/http/request-context';

const documentClient = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
const writer = { actor: { type: 'user' as const, id: 'u-1' }, roles: ['admin'], correlationId: 'c-1' };

beforeEach(() => documentClient.reset());

/** An Update expression of 0–3 distinct clauses in any order, with 1–3 actions each. */
const clauseArb = (keyword: 'SET' | 'REMOVE' | 'ADD', index: number) =>
  fc.integer({ min: 1, max: 3 }).map((n) => {
    const actions = Array.from({ length: n }, (_, i) => {
      const name = `#${keyword.toLowerCase()}${index}${i}`;
      if (keyword === 'SET') return `${name} = :v${index}${i}`;
      if (keyword === 'ADD') return `${name} :v${index}${i}`;
      return name;
    });
    return `${keyword} ${actions.join(', ')}`;
  });
const expressionArb = fc
  .shuffledSubarray(['SET', 'REMOVE', 'ADD'] as const)
  .chain((keywords) =>
    keywords.length === 0
      ? fc.constant('')
      : fc.tuple(...keywords.map((k, i) => clauseArb(k, i))).map((clauses) => clauses.join(' ')),
  );

describe('Function: stampUpdate', () => {
  it('joins lastChange to the one SET clause and keeps every other action', () => {
    fc.assert(
      fc.property(expressionArb, fc.constantFrom('SET', 'set', 'Set'), (expression, keywordCase) => {
        // Prepare
        const original = expression.replace(/\bSET\b/, keywordCase);

        // Act
        const out = stampUpdate(
          {
            UpdateExpression: original,
            ExpressionAttributeNames: { '#x': 'x' },
            ExpressionAttributeValues: { ':x': 1 },
          },
          '2026-12-02T10:00:00.000Z',
        );

        // Assess
        const expr = out.UpdateExpression;
        expect(expr.match(/(^|\s)SET\s/gi)).toHaveLength(1);
        expect(expr.match(/#lastChange = :lastChange/g)).toHaveLength(1);
        const actionsOf = (text: string) =>
          text
            .replace(/(^|\s)(SET|REMOVE|ADD)\s/gi, ' ')
            .split(',')
            .flatMap((part) => part.trim().split(/\s+(?=#)/))
            .map((part) => part.trim())
            .filter(Boolean)
            .sort();
        expect(actionsOf(expr)).toEqual(actionsOf(`${original}, #lastChange = :lastChange`));
        expect(out.ExpressionAttributeNames).toEqual({ '#x': 'x', '#lastChange': LAST_CHANGE });
        expect(out.ExpressionAttributeValues).toMatchObject({ ':x': 1 });
      }),
    );
  });

  it('stamps the current writer', () => {
    // Act
    const out = runWithRequestContext(writer, () =>
      stampUpdate({ UpdateExpression: 'REMOVE deletedAt, purgeAt' }),
    );

    // Assess
    expect(out.UpdateExpression).toBe('SET #lastChange = :lastChange REMOVE deletedAt, purgeAt');
    expect(out.ExpressionAttributeValues?.[':lastChange']).toMatchObject(writer);
  });
});

describe('Function: transactWrite (lastChange safety net)', () => {
  it('stamps an audited Put that its builder did not stamp, and leaves other items alone', async () => {
    // Prepare
    documentClient.on(TransactWriteCommand).resolves({});
    const tombstone = { pk: 'CUS#1', sk: 'TOMBSTONE', entity: 'customerTombstone', customerId: '1' };
    const guard = { pk: 'UNIQ#EMAIL#a@example.com', sk: 'UNIQ', entity: 'uniqueEmail', customerId: '1' };

    // Act
    await runWithRequestContext(writer, () =>
      transactWrite(client, [
        { item: { Put: { TableName: 't', Item: tombstone } } },
        { item: { Put: { TableName: 't', Item: guard } } },
        { item: { Delete: { TableName: 't', Key: { pk: 'CUS#1', sk: 'STATS' } } } },
      ]),
    );

    // Assess
    const items = documentClient.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put?.Item?.[LAST_CHANGE]).toMatchObject(writer);
    expect(items[1]?.Put?.Item).toEqual(guard);
    expect(items[2]).toEqual({ Delete: { TableName: 't', Key: { pk: 'CUS#1', sk: 'STATS' } } });
  });

  it('keeps the stamp an item builder already set', async () => {
    // Prepare
    documentClient.on(TransactWriteCommand).resolves({});
    const profile = runWithRequestContext({ actor: { type: 'user', id: 'builder' } }, () =>
      stamp({ pk: 'CUS#1', sk: 'PROFILE', entity: 'customer', id: '1' }),
    );

    // Act
    await runWithRequestContext(writer, () =>
      transactWrite(client, [{ item: { Put: { TableName: 't', Item: profile } } }]),
    );

    // Assess
    const items = documentClient.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put?.Item?.[LAST_CHANGE]).toMatchObject({ actor: { id: 'builder' } });
  });
});
