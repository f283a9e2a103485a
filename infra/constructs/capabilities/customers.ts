/** CDK construct of the customers capability: customers, timeline, 360 view and attribute settings. */
import { customers } from '#shared/capabilities/customers/index';
import type { RelayHttpApi } from '../http-api.ts';
import { CapabilityConstruct, type CapabilityProps } from './capability.ts';

export class CustomersCapability extends CapabilityConstruct {
  static readonly capability = customers;

  static acknowledgements(app: string): string[] {
    return CapabilityConstruct.expectedAcknowledgements(customers, app);
  }

  constructor(scope: RelayHttpApi, props: Omit<CapabilityProps, 'httpApi'>) {
    super(scope, customers, props);
  }
}
