/**
 * DynamoDB implementation of the consent repository: subscription types (one config item), a
 * customer's state (`CUS#<id>` / `S#consents`, shown by the 360 view) written in one transaction
 * with its ledger entries (`consent_change` timeline entries), and the suppression list
 * (`SUPP#<address>`, listed through `SUPPLIST#<shard>` on gsi2). docs/access-patterns.md.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { readConfigList, writeConfigList } from '#shared/db/config-item';
import type { CursorKeys } from '#shared/db/cursor';
import { entityOf, stamp, transactWrite } from '#shared/db/dynamo';
import {
  customerProfileKey,
  customerSummaryKey,
  LIST_SHARDS,
  normalizeEmail,
  suppressionKey,
  suppressionListKeys,
  suppressionListShard,
} from '#shared/db/keys';
import { queryShardedList } from '#shared/db/pagination';
import { entryItem } from '#shared/db/timeline-items';
import { changedConcurrently } from '#shared/domain/common/records';
import type { StoredConsent, SubscriptionType, Suppression } from '#shared/domain/consent/schemas';
import type { ConsentState, ConsentStore } from '#shared/domain/consent/store';
import { NotFoundError } from '#shared/errors';

const TYPES = { name: 'subscription-types', field: 'types', what: 'subscription types' };

export const createConsentStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  cursorKeys: CursorKeys,
): ConsentStore => ({
  async subscriptionTypes() {
    const { values, ...rest } = await readConfigList<SubscriptionType>(
      client,
      tableName,
      TYPES.name,
      TYPES.field,
    );
    return { types: values, ...rest };
  },

  async putSubscriptionTypes(types, expectedVersion, now) {
    const { values, ...rest } = await writeConfigList(client, tableName, TYPES, types, expectedVersion, now);
    return { types: values, ...rest };
  },

  async state(customerId) {
    const out = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: customerSummaryKey(customerId, 'consents'),
        ConsistentRead: true,
      }),
    );
    return {
      types: (out.Item?.types ?? {}) as Record<string, StoredConsent>,
      version: Number(out.Item?.version ?? 0),
    };
  },

  async record(customerId, expectedVersion, next: ConsentState, entries) {
    await transactWrite(client, [
      {
        item: {
          ConditionCheck: {
            TableName: tableName,
            Key: customerProfileKey(customerId),
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
          },
        },
        onFail: () => new NotFoundError('Customer not found.'),
      },
      {
        item: {
          Put: {
            TableName: tableName,
            Item: stamp({
              ...customerSummaryKey(customerId, 'consents'),
              entity: 'consentState',
              customerId,
              types: next.types,
              version: next.version,
            }),
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
            ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
          },
        },
        onFail: () => changedConcurrently('subscriptions'),
      },
      ...entries.map((entry) => ({
        item: {
          Put: {
            TableName: tableName,
            Item: entryItem(entry),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      })),
    ]);
  },

  async suppression(email) {
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: suppressionKey(email), ConsistentRead: true }),
    );
    return out.Item ? entityOf<Suppression>(out.Item) : undefined;
  },

  async putSuppression(suppression) {
    const email = normalizeEmail(suppression.email);
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: stamp({
          ...suppressionKey(email),
          ...suppressionListKeys(email, suppression.suppressedAt),
          entity: 'suppression',
          ...suppression,
          email,
        }),
      }),
    );
  },

  async deleteSuppression(email) {
    const out = await client.send(
      new DeleteCommand({ TableName: tableName, Key: suppressionKey(email), ReturnValues: 'ALL_OLD' }),
    );
    return out.Attributes !== undefined;
  },

  async listSuppressions(page) {
    const result = await queryShardedList(client, {
      tableName,
      shardPartition: suppressionListShard,
      shards: LIST_SHARDS,
      limit: page.limit,
      cursor: page.cursor,
      cursorContext: { keys: cursorKeys, scope: 'suppressions' },
    });
    return { items: result.items.map((item) => entityOf<Suppression>(item)), nextCursor: result.nextCursor };
  },
});
