/**
 * The dedupe claim under the SDK's own retries (aws-sdk-client-mock, no DynamoDB). Claims that
 * lose to another delivery are covered on DynamoDB Local (test/integration/events-dedupe.test.ts).
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDedupeStore } from '#shared/events/dedupe';

const doc = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));

const conditionFailed = (item: Record<string, { S: string }>) =>
  Object.assign(
    new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
    {
      Item: item,
    },
  );

describe('Function: createDedupeStore — claim', () => {
  beforeEach(() => doc.reset());

  it('counts its own earlier attempt as the claim (a retried put whose first try succeeded)', async () => {
    // Prepare: the stored record is the one this very claim wrote
    doc.on(PutCommand).callsFake((input: PutCommandInput) => {
      throw conditionFailed({
        status: { S: 'inProgress' },
        claimToken: { S: String(input.Item?.claimToken) },
      });
    });
    const store = createDedupeStore(client, 'relay-test', () => 1_000, 60);

    // Act
    const result = await store.claim('consumer', 'a'.repeat(32), 5_000);

    // Assess
    expect(result).toBe('claimed');
  });

  it('writes a fresh token, the lock and the TTL with the claim', async () => {
    // Prepare
    doc.on(PutCommand).resolves({});
    const store = createDedupeStore(client, 'relay-test', () => 10_000, 60);

    // Act
    await store.claim('consumer', 'c'.repeat(32), 5_000);
    await store.claim('consumer', 'c'.repeat(32), 5_000);

    // Assess
    const items = doc.commandCalls(PutCommand).map((call) => call.args[0].input.Item ?? {});
    expect(items[0]).toMatchObject({ status: 'inProgress', lockedUntil: 15_000, expiresAt: 70 });
    expect(items[0]?.claimToken).not.toBe(items[1]?.claimToken);
  });
});
