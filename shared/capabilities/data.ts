/**
 * THE runtime list of capability data modules (`shared/capabilities/<name>/data.ts`): the event
 * catalog (`events/catalog.ts`), the stream mapping (`shared/events/from-stream.ts`) and the
 * erasure registry (`shared/domain/privacy/registry.ts`) are collected from it. It is separate
 * from the descriptor list (`./index.ts`) so that runtime code does not bundle route manifests;
 * `test/unit/capabilities.test.ts` checks that both name the same capabilities in the same order
 * and that each descriptor carries its own data module.
 */
import { auditData } from './audit/data.ts';
import { companiesData } from './companies/data.ts';
import { consentData } from './consent/data.ts';
import { customersData } from './customers/data.ts';
import { templatesData } from './templates/data.ts';
import { webhooksData } from './webhooks/data.ts';

export const capabilityData = [
  customersData,
  companiesData,
  consentData,
  webhooksData,
  templatesData,
  auditData,
] as const;
