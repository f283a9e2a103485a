/**
 * Unit: a route's handler is built with the idempotency its manifest declares — `idempotentRoute`
 * for a route marked `idempotent`, `httpRoute` for any other — and a mismatch fails at module load.
 */
import { describe, expect, it } from 'vitest';
import { customerRoute } from '#shared/capabilities/customers/routes';
import { httpRoute } from '#shared/http/handler';
import { idempotentRoute } from '#shared/http/idempotent-route';
import type { RouteDef } from '#shared/http/route';
import { routes } from '#shared/routes';

const reply = () => ({ body: {} });

describe('Unit: idempotentRoute / httpRoute', () => {
  it('refuses to build an idempotent route without the idempotency runner', () => {
    // Act / Assert
    expect(() => httpRoute(customerRoute('createCustomer'), reply)).toThrow(
      /build its handler with idempotentRoute/,
    );
  });

  it('refuses idempotency for a route the manifest does not mark idempotent', () => {
    // Act / Assert
    expect(() => idempotentRoute(customerRoute('getCustomer'), reply)).toThrow(/is not idempotent/);
  });

  it('builds both kinds as the manifest says', () => {
    // Arrange: one route of each kind from the whole manifest
    const manifest = routes as readonly RouteDef[];
    const idempotent = manifest.find((route) => route.idempotent === true);
    const plain = manifest.find((route) => !route.idempotent);
    if (!idempotent || !plain) throw new Error('the manifest has both kinds of routes');

    // Act / Assert
    expect(typeof idempotentRoute(idempotent, reply)).toBe('function');
    expect(typeof httpRoute(plain, reply)).toBe('function');
  });
});
