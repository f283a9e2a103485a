/**
 * The handler of a route its manifest marks `idempotent` (a POST that honours `Idempotency-Key`):
 * `httpRoute` with Powertools idempotency (`shared/http/idempotency.ts`). Kept apart so that only
 * the areas with such routes bundle and load it; `httpRoute` refuses an idempotent route, and this
 * refuses any other, at module load.
 */
import { type HttpHandler, httpRoute, type Reply, type RouteInput } from '#shared/http/handler';
import { validIdempotencyKey, withIdempotency } from '#shared/http/idempotency';
import type { RouteDef } from '#shared/http/route';

export const idempotentRoute = <R extends RouteDef>(
  route: R,
  fn: (input: RouteInput<R>) => Promise<Reply | undefined> | Reply | undefined,
): HttpHandler => httpRoute(route, fn, { validKey: validIdempotencyKey, run: withIdempotency });
