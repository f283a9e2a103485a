/**
 * What a capability declares about itself, in one place (`shared/capabilities/<name>/index.ts`).
 * The index (`shared/capabilities/index.ts`) collects the descriptors for the route index
 * (`shared/routes.ts`: OpenAPI, the local API Gateway, CDK), the rules manifest (`events/rules.ts`)
 * and the CDK capability constructs (`infra/constructs/capabilities/`). Runtime code of an area
 * function never imports a descriptor — only its own `routes.ts` (see docs/adr/0011).
 */
import type { RuleDef } from '#events/rules';
import type { CapabilityData } from '#shared/capabilities/capability-data';
import type { ConfigKey } from '#shared/config';
import type { RouteDef } from '#shared/http/route';

/** The area function's table permission; `none` gets no grant (and no TABLE_NAME unless in config). */
export type CapabilityTableAccess = 'readWrite' | 'read' | 'none';

export interface Capability<N extends string = string, R extends readonly RouteDef[] = readonly RouteDef[]> {
  /** The area: folder names `functions/http/<name>/`, `shared/capabilities/<name>/`. */
  name: N;
  description: string;
  /** Its route manifest (`./routes.ts`); every route has `area: name`. */
  routes: R;
  /**
   * Its data module (`./data.ts`): the events it publishes, its stream mappers and the erasure
   * rules of its item types. Absent when it stores nothing (system).
   */
  data?: CapabilityData;
  tableAccess: CapabilityTableAccess;
  /** Configuration its area function reads (`shared/config.ts`); CDK sets exactly these. */
  config: readonly ConfigKey[];
  /** Workflows (`infra/workflows/<name>.asl.json`) its area function starts. */
  workflowStarters: readonly string[];
  /** The bus consumers and workflow targets it owns (collected into `events/rules.ts`). */
  rules: readonly RuleDef[];
}

/** Declares a capability, keeping its literal name and route types. */
export const defineCapability = <const N extends string, const R extends readonly RouteDef[]>(
  capability: Capability<N, R>,
): Capability<N, R> => capability;

/** Entry file of a capability's area function (bundled by CDK, imported by the local server). */
export const areaEntryOf = (name: string): string => `functions/http/${name}/index.ts`;
