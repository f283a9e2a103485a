/**
 * The route index, derived from the capability list (`shared/capabilities/index.ts`): CDK, the
 * local HTTP server, the OpenAPI document and tests read this. Routes themselves are declared in
 * each capability's `shared/capabilities/<name>/routes.ts`; an area function imports only its own
 * manifest, never this index (docs/adr/0012-capability-modules.md).
 */

import { areaEntryOf } from '#shared/capabilities/capability';
import { type CapabilityName, capabilities } from '#shared/capabilities/index';

export type { HttpMethod, RouteDef } from '#shared/http/route';
export { routeKey } from '#shared/http/route';

/** A deployable group of routes: one Lambda function with a router (see docs/adr/0002). */
export const areas = capabilities.map((c) => c.name) as CapabilityName[];
export type Area = CapabilityName;

export type Route = (typeof capabilities)[number]['routes'][number];
export type RouteId = Route['id'];
export type RouteOf<I extends RouteId> = Extract<Route, { id: I }>;

export const routes: readonly Route[] = capabilities.flatMap((c): readonly Route[] => c.routes);

export const routeById = <I extends RouteId>(id: I): RouteOf<I> => {
  const found = routes.find((r) => r.id === id);
  if (!found) throw new Error(`unknown route ${id}`);
  return found as RouteOf<I>;
};

export const routesOfArea = (area: Area): Route[] => routes.filter((r) => r.area === area);

/** Entry file of an area's function (bundled by CDK, imported by the local server). */
export const areaEntry = (area: Area): string => areaEntryOf(area);
