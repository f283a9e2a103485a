/**
 * Roles, scopes and the role → scope policy. Cognito groups carry roles; the Cognito resource
 * server `relay` carries the scopes (`relay/customers.read`, …). Route scopes are declared in
 * `shared/routes.ts`; the API Gateway JWT authorizer checks them in the cloud and
 * `shared/auth/claims.ts` checks them again in every function (and locally).
 */
export const roles = ['admin', 'sales', 'support', 'marketing', 'analyst'] as const;
export type Role = (typeof roles)[number];

export const scopes = [
  'customers.read',
  'customers.write',
  'customers.delete',
  'timeline.read',
  'timeline.write',
  'companies.read',
  'companies.write',
  'companies.delete',
  'settings.read',
  'settings.write',
  /** Webhook subscriptions and their delivery logs (admin only: subscriptions carry secrets). */
  'webhooks.manage',
  /** Right to erasure and to portability: erase and export a customer (admin only). */
  'privacy.manage',
  /** The audit log: who changed what and when (admin only: it names staff and their IPs). */
  'audit.read',
  /** Marketing audience: subscription types, email templates and segments (read). */
  'audience.read',
  /** Marketing audience: write email templates and segments (marketing, admin). */
  'audience.write',
  /** The account suppression list: addresses that receive nothing (admin only: a list of emails). */
  'suppressions.manage',
] as const;
export type Scope = (typeof scopes)[number];

/** Identifier of the Cognito resource server; full scope strings are `relay/<scope>`. */
export const RESOURCE_SERVER = 'relay';
export const fullScope = (scope: Scope): string => `${RESOURCE_SERVER}/${scope}`;

const read: Scope[] = ['customers.read', 'timeline.read', 'companies.read', 'settings.read', 'audience.read'];

export const roleScopes: Record<Role, readonly Scope[]> = {
  admin: scopes,
  // Sales may delete (to the recycle bin) and restore customers and companies they own (checked
  // in the domain, `assertCanDelete`).
  sales: [
    ...read,
    'customers.write',
    'customers.delete',
    'timeline.write',
    'companies.write',
    'companies.delete',
  ],
  support: [...read, 'timeline.write'],
  marketing: [...read, 'customers.write', 'companies.write', 'audience.write'],
  analyst: read,
};

export const scopesOfRoles = (userRoles: readonly Role[]): Set<Scope> =>
  new Set(userRoles.flatMap((role) => roleScopes[role]));

export const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);
export const isScope = (value: string): value is Scope => (scopes as readonly string[]).includes(value);
