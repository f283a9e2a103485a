/**
 * Which `relay/…` scopes an access token carries, decided from the user's Cognito groups alone.
 * Used by the pre-token-generation trigger (`functions/auth/pre-token-generation.ts`); pure, so
 * the policy is unit-tested without Cognito.
 *
 * Groups are roles (`shared/auth/roles.ts`); each role grants `roleScopes[role]`. Any `relay/…`
 * scope the client asked for that the groups do not grant is suppressed, so an OAuth client that
 * is (mis)configured to allow resource-server scopes cannot hand them to a user. Non-relay scopes
 * (`openid`, `email`, `aws.cognito.signin.user.admin`, …) are left alone.
 */
import { fullScope, isRole, RESOURCE_SERVER, scopes, scopesOfRoles } from '#shared/auth/roles';

export interface TokenScopes {
  /** Full scope strings (`relay/customers.read`) to add to the access token, in manifest order. */
  scopesToAdd: string[];
  /** Requested `relay/…` scopes the user's groups do not grant. */
  scopesToSuppress: string[];
}

export const tokenScopesForGroups = (
  groups: readonly string[],
  requestedScopes: readonly string[] = [],
): TokenScopes => {
  const granted = scopesOfRoles(groups.filter(isRole));
  const scopesToAdd = scopes.filter((scope) => granted.has(scope)).map(fullScope);
  const allowed = new Set(scopesToAdd);
  const scopesToSuppress = requestedScopes.filter(
    (scope) => scope.startsWith(`${RESOURCE_SERVER}/`) && !allowed.has(scope),
  );
  return { scopesToAdd, scopesToSuppress };
};
