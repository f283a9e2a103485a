/**
 * A versioned setting: one config item (`CONFIG#<name>` / `PROFILE`) holding one list under
 * `field`, replaced whole under optimistic locking. Attribute definitions and subscription types
 * are stored this way.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, stamp } from '#shared/db/dynamo';
import { configKey } from '#shared/db/keys';
import { changedConcurrently } from '#shared/domain/common/records';

export interface ConfigList<T> {
  values: T[];
  /** 0 before the first write. */
  version: number;
  updatedAt: string | null;
}

export const readConfigList = async <T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  name: string,
  field: string,
): Promise<ConfigList<T>> => {
  const out = await client.send(
    new GetCommand({ TableName: tableName, Key: configKey(name), ConsistentRead: true }),
  );
  return {
    values: (out.Item?.[field] ?? []) as T[],
    version: Number(out.Item?.version ?? 0),
    updatedAt: (out.Item?.updatedAt as string | undefined) ?? null,
  };
};

/** Replaces the list if the stored version is `expectedVersion` (412 `what` changed otherwise). */
export const writeConfigList = async <T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  setting: { name: string; field: string; what: string },
  values: T[],
  expectedVersion: number,
  now: string,
): Promise<ConfigList<T>> => {
  const version = expectedVersion + 1;
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: stamp({
          ...configKey(setting.name),
          entity: 'config',
          [setting.field]: values,
          version,
          updatedAt: now,
        }),
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
        ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw changedConcurrently(setting.what);
    throw error;
  }
  return { values, version, updatedAt: now };
};
