/**
 * CDK construct of the consent capability: its area function with read/write on the table and
 * the cursor key secret (lists and the signed unsubscribe links).
 */
import { consent } from '#shared/capabilities/consent/index';
import type { RelayHttpApi } from '../http-api.ts';
import { CapabilityConstruct, type CapabilityProps } from './capability.ts';

export class ConsentCapability extends CapabilityConstruct {
  static readonly capability = consent;

  static acknowledgements(app: string): string[] {
    return CapabilityConstruct.expectedAcknowledgements(consent, app);
  }

  constructor(scope: RelayHttpApi, props: Omit<CapabilityProps, 'httpApi'>) {
    super(scope, consent, props);
  }
}
