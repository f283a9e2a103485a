/** DynamoDB implementation of the settings repository (one config item per setting). */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, stamp } from '#shared/db/dynamo';
import { configKey } from '#shared/db/keys';
import { changedConcurrently } from '#shared/domain/common/records';
import type { AttributeDefinition } from '#shared/domain/settings/schemas';
import type { SettingsStore } from '#shared/domain/settings/store';

const ATTRIBUTES = 'customer-attributes';

export const createSettingsStore = (client: DynamoDBDocumentClient, tableName: string): SettingsStore => ({
  async attributeDefinitions() {
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: configKey(ATTRIBUTES), ConsistentRead: true }),
    );
    return {
      definitions: (out.Item?.definitions ?? []) as AttributeDefinition[],
      version: Number(out.Item?.version ?? 0),
      updatedAt: (out.Item?.updatedAt as string | undefined) ?? null,
    };
  },

  async putAttributeDefinitions(definitions, expectedVersion, now) {
    const version = expectedVersion + 1;
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: stamp({ ...configKey(ATTRIBUTES), entity: 'config', definitions, version, updatedAt: now }),
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw changedConcurrently('attribute definitions');
      throw error;
    }
    return { definitions, version, updatedAt: now };
  },
});
