/** CDK construct of the webhooks capability: webhook subscriptions and delivery logs (the dispatcher and the delivery workflow are built from its rules by the event backbone and workflows). */
import { webhooks } from '#shared/capabilities/webhooks/index';
import type { RelayHttpApi } from '../http-api.ts';
import { CapabilityConstruct, type CapabilityProps } from './capability.ts';

export class WebhooksCapability extends CapabilityConstruct {
  static readonly capability = webhooks;

  static acknowledgements(app: string): string[] {
    return CapabilityConstruct.expectedAcknowledgements(webhooks, app);
  }

  constructor(scope: RelayHttpApi, props: Omit<CapabilityProps, 'httpApi'>) {
    super(scope, webhooks, props);
  }
}
