/**
 * Cognito pre-token-generation trigger (event version V2_0): puts the scopes of the user's groups
 * into the access token, so the HTTP API JWT authorizer can check route scopes. The policy lives
 * in `shared/auth/token-scopes.ts`; this handler only maps the event.
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { tokenScopesForGroups } from '#shared/auth/token-scopes';

export const handler = async (
  event: PreTokenGenerationV2TriggerEvent,
): Promise<PreTokenGenerationV2TriggerEvent> => {
  const { scopesToAdd, scopesToSuppress } = tokenScopesForGroups(
    event.request.groupConfiguration?.groupsToOverride ?? [],
    event.request.scopes ?? [],
  );
  event.response = {
    claimsAndScopeOverrideDetails: {
      accessTokenGeneration: { scopesToAdd, scopesToSuppress },
    },
  };
  return event;
};
