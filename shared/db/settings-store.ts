/** DynamoDB implementation of the settings repository (one config item per setting). */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readConfigList, writeConfigList } from '#shared/db/config-item';
import type { AttributeDefinition } from '#shared/domain/settings/schemas';
import type { SettingsStore } from '#shared/domain/settings/store';

const ATTRIBUTES = { name: 'customer-attributes', field: 'definitions', what: 'attribute definitions' };

export const createSettingsStore = (client: DynamoDBDocumentClient, tableName: string): SettingsStore => ({
  async attributeDefinitions() {
    const { values, ...rest } = await readConfigList<AttributeDefinition>(
      client,
      tableName,
      ATTRIBUTES.name,
      ATTRIBUTES.field,
    );
    return { definitions: values, ...rest };
  },

  async putAttributeDefinitions(definitions, expectedVersion, now) {
    const { values, ...rest } = await writeConfigList(
      client,
      tableName,
      ATTRIBUTES,
      definitions,
      expectedVersion,
      now,
    );
    return { definitions: values, ...rest };
  },
});
