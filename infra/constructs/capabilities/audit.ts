/** CDK construct of the audit capability: `GET /audit` (admin), read-only on the table. */
import { audit } from '#shared/capabilities/audit/index';
import type { RelayHttpApi } from '../http-api.ts';
import { CapabilityConstruct, type CapabilityProps } from './capability.ts';

export class AuditCapability extends CapabilityConstruct {
  static readonly capability = audit;

  static acknowledgements(app: string): string[] {
    return CapabilityConstruct.expectedAcknowledgements(audit, app);
  }

  constructor(scope: RelayHttpApi, props: Omit<CapabilityProps, 'httpApi'>) {
    super(scope, audit, props);
  }
}
