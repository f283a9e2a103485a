/** CDK construct of the companies capability: companies and their contacts. */
import { companies } from '#shared/capabilities/companies/index';
import type { RelayHttpApi } from '../http-api.ts';
import { CapabilityConstruct, type CapabilityProps } from './capability.ts';

export class CompaniesCapability extends CapabilityConstruct {
  static readonly capability = companies;

  static acknowledgements(app: string): string[] {
    return CapabilityConstruct.expectedAcknowledgements(companies, app);
  }

  constructor(scope: RelayHttpApi, props: Omit<CapabilityProps, 'httpApi'>) {
    super(scope, companies, props);
  }
}
