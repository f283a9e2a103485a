/** Settings use cases: custom attribute definitions (read by all, replaced by admins). */
import type { Clock } from '#shared/domain/clock';
import type { AttributeDefinitions, AttributeDefinitionsView } from '#shared/domain/settings/schemas';
import type { SettingsStore } from '#shared/domain/settings/store';
import { PreconditionFailedError } from '#shared/errors';

export interface SettingsDeps {
  settings: SettingsStore;
  clock: Clock;
}

export const getAttributeDefinitions = (deps: SettingsDeps): Promise<AttributeDefinitionsView> =>
  deps.settings.attributeDefinitions();

/** Replaces all definitions; `version` (optional) must match the stored one. Existing values stay. */
export const putAttributeDefinitions = async (
  deps: SettingsDeps,
  input: AttributeDefinitions,
): Promise<AttributeDefinitionsView> => {
  const current = await deps.settings.attributeDefinitions();
  if (input.version !== undefined && input.version !== current.version) {
    throw new PreconditionFailedError(
      `The attribute definitions are at version ${current.version}, not ${input.version}; fetch them and retry.`,
    );
  }
  return deps.settings.putAttributeDefinitions(
    input.definitions,
    current.version,
    deps.clock.now().toISOString(),
  );
};
