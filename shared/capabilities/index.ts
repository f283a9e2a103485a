/**
 * THE list of capabilities. Adding one = a folder `shared/capabilities/<name>/` (routes.ts,
 * index.ts) + one line here (+ one line in `infra/constructs/capabilities/index.ts`); see
 * "How to add a capability" in docs/architecture.md. Order is the OpenAPI and rule order.
 */
import { audit } from './audit/index.ts';
import { companies } from './companies/index.ts';
import { consent } from './consent/index.ts';
import { customers } from './customers/index.ts';
import { system } from './system/index.ts';
import { templates } from './templates/index.ts';
import { webhooks } from './webhooks/index.ts';

export const capabilities = [customers, companies, consent, webhooks, templates, audit, system] as const;

export type AnyCapability = (typeof capabilities)[number];
export type CapabilityName = AnyCapability['name'];

export const capabilityByName = <N extends CapabilityName>(name: N): Extract<AnyCapability, { name: N }> => {
  const found = capabilities.find((c) => c.name === name);
  if (!found) throw new Error(`unknown capability ${name}`);
  return found as Extract<AnyCapability, { name: N }>;
};
