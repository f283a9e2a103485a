/** CDK construct of the system capability: health, OpenAPI and docs (public routes, no table grant). */
import { system } from '#shared/capabilities/system/index';
import type { RelayHttpApi } from '../http-api.ts';
import { CapabilityConstruct, type CapabilityProps } from './capability.ts';

export class SystemCapability extends CapabilityConstruct {
  static readonly capability = system;

  static acknowledgements(app: string): string[] {
    return CapabilityConstruct.expectedAcknowledgements(system, app);
  }

  constructor(scope: RelayHttpApi, props: Omit<CapabilityProps, 'httpApi'>) {
    super(scope, system, props);
  }
}
