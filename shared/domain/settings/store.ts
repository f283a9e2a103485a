import type { AttributeDefinition, AttributeDefinitionsView } from '#shared/domain/settings/schemas';

/** Settings repository port; `shared/db/settings-store.ts` implements it on DynamoDB. */
export interface SettingsStore {
  attributeDefinitions(): Promise<AttributeDefinitionsView>;
  /** Replaces the definitions if the stored version is `expectedVersion` (412 otherwise). */
  putAttributeDefinitions(
    definitions: AttributeDefinition[],
    expectedVersion: number,
    now: string,
  ): Promise<AttributeDefinitionsView>;
}
