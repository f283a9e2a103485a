/**
 * THE list of capability constructs the app stack composes (one line per capability, in the order
 * of `shared/capabilities/index.ts`; a test checks that both lists name the same capabilities).
 */
import { AuditCapability } from './audit.ts';
import { CompaniesCapability } from './companies.ts';
import { ConsentCapability } from './consent.ts';
import { CustomersCapability } from './customers.ts';
import { SystemCapability } from './system.ts';
import { TemplatesCapability } from './templates.ts';
import { WebhooksCapability } from './webhooks.ts';

export const capabilityConstructs = [
  CustomersCapability,
  CompaniesCapability,
  ConsentCapability,
  WebhooksCapability,
  TemplatesCapability,
  AuditCapability,
  SystemCapability,
] as const;

export type { CapabilityConstruct, CapabilityProps } from './capability.ts';
