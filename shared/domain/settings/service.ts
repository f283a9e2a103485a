/** Settings use cases: custom attribute definitions (read by all, replaced by admins). */
import type { Clock } from '#shared/domain/clock';
import { assertVersion } from '#shared/domain/common/records';
import type { AttributeDefinitions, AttributeDefinitionsView } from '#shared/domain/settings/schemas';
import type { SettingsStore } from '#shared/domain/settings/store';

export interface SettingsDeps {
  settings: SettingsStore;
  clock: Clock;
}

export const getAttributeDefinitions = (deps: SettingsDeps): Promise<AttributeDefinitionsView> =>
  deps.settings.attributeDefinitions();

/**
 * Replaces all definitions. The version the caller read (If-Match or the body `version`, already
 * reconciled by the edge) is optional; when sent it must match the stored one (412). Existing values stay.
 */
export const putAttributeDefinitions = async (
  deps: SettingsDeps,
  input: AttributeDefinitions,
  expectedVersion: number | undefined = input.version,
): Promise<AttributeDefinitionsView> => {
  const current = await deps.settings.attributeDefinitions();
  if (expectedVersion !== undefined) assertVersion('attribute definitions', current, expectedVersion);
  return deps.settings.putAttributeDefinitions(
    input.definitions,
    current.version,
    deps.clock.now().toISOString(),
  );
};
