import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '#functions/auth/pre-token-generation';
import { fullScope, roleScopes, scopes } from '#shared/auth/roles';
import fixture from '../../fixtures/cognito/pre-token-generation-v2.json' with { type: 'json' };

/** A fresh copy of the recorded Cognito event, with the user's groups and requested scopes replaced. */
const eventFor = (groups: string[], requested?: string[]): PreTokenGenerationV2TriggerEvent => {
  const event = structuredClone(fixture) as unknown as PreTokenGenerationV2TriggerEvent;
  event.request.groupConfiguration.groupsToOverride = groups;
  if (requested) event.request.scopes = requested;
  return event;
};

describe('pre-token-generation trigger (V2)', () => {
  it('adds the scopes of a sales user to the access token', async () => {
    // Prepare
    const event = eventFor(['sales']);

    // Act
    const result = await handler(event);

    // Assess
    expect(result.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toEqual({
      scopesToAdd: [
        'relay/customers.read',
        'relay/customers.write',
        'relay/customers.delete',
        'relay/timeline.read',
        'relay/timeline.write',
        'relay/companies.read',
        'relay/companies.write',
        'relay/companies.delete',
        'relay/settings.read',
        'relay/audience.read',
      ],
      scopesToSuppress: [],
    });
  });

  it('grants the union of scopes when the user is in several groups', async () => {
    // Prepare
    const event = eventFor(['analyst', 'support']);

    // Act
    const result = await handler(event);

    // Assess
    const expected = new Set([...roleScopes.analyst, ...roleScopes.support].map(fullScope));
    const added = result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.scopesToAdd ?? [];
    expect(new Set(added)).toEqual(expected);
    expect(added).toHaveLength(expected.size);
  });

  it('gives admins every scope of the resource server', async () => {
    // Prepare
    const event = eventFor(['admin']);

    // Act
    const result = await handler(event);

    // Assess
    expect(result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.scopesToAdd).toEqual(
      scopes.map(fullScope),
    );
  });

  it('adds no scopes for a user without a known group', async () => {
    // Prepare
    const event = eventFor(['contractors']);

    // Act
    const result = await handler(event);

    // Assess
    expect(result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.scopesToAdd).toEqual([]);
  });

  it('suppresses requested relay scopes the groups do not grant and keeps the others', async () => {
    // Prepare
    const event = eventFor(['analyst'], ['openid', 'relay/customers.read', 'relay/settings.write']);

    // Act
    const result = await handler(event);

    // Assess
    expect(result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.scopesToSuppress).toEqual([
      'relay/settings.write',
    ]);
  });

  it('adds and suppresses no scope for an event without groups or requested scopes', async () => {
    // Prepare
    const event = eventFor([]);
    delete event.request.groupConfiguration.groupsToOverride;
    delete event.request.scopes;

    // Act
    const result = await handler(event);

    // Assess
    expect(result.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toEqual({
      scopesToAdd: [],
      scopesToSuppress: [],
    });
  });
});
