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
    // Signing secrets: the area seals new ones (GenerateDataKey only, it cannot read one back);
    // the Deliver task alone opens them (Decrypt only). docs/adr/0013-secrets.md. Both get the
    // key's ARN in their environment from infra/config/functions.ts.
    const key = props.keys.webhookSecrets;
    key.grant(this.function.fn, 'kms:GenerateDataKey');
    const deliver = props.workflows.workflow('webhook-delivery').tasks.DeliverWebhookFunctionArn;
    if (!deliver) throw new Error('webhook-delivery has no DeliverWebhookFunctionArn task');
    key.grantDecrypt(deliver.fn);
  }
}
