/**
 * The stateless part of a stage: composes the constructs (auth, event backbone, workflows, the
 * shared HTTP API, and one construct per capability from `infra/constructs/capabilities/index.ts`) and wires them to the data stack's resources. No resources are defined
 * here directly. Every alarm of the stack is wired to the stage's alarm topic by an aspect
 * (docs/adr/0007-alarm-notifications.md).
 */
import { Aspects, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { rules } from '#events/rules';
import { alarmEmailsFor, type StageConfig } from '#infra/config/stages';
import { AlarmActions, AlarmNotifications } from '#infra/constructs/alarm-notifications';
import { Auth } from '#infra/constructs/auth';
import { type CapabilityConstruct, capabilityConstructs } from '#infra/constructs/capabilities/index';
import { EventBackbone } from '#infra/constructs/event-backbone';
import { RelayHttpApi } from '#infra/constructs/http-api';
import { RecycleBin } from '#infra/constructs/recycle-bin';
import { Workflows } from '#infra/constructs/workflows';
import type { DataKeys } from '#infra/stacks/data-stack';
import type { CapabilityName } from '#shared/capabilities/index';

export interface AppStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  /** The data stack's KMS keys (capability constructs grant their own use). */
  readonly keys: DataKeys;
}

export class AppStack extends Stack {
  readonly auth: Auth;
  readonly events: EventBackbone;
  readonly workflows: Workflows;
  readonly httpApi: RelayHttpApi;
  readonly recycleBin: RecycleBin;
  /** One construct per capability (area function, routes, grants, alarms), by capability name. */
  readonly capabilities: Record<CapabilityName, CapabilityConstruct>;
  readonly alarmNotifications: AlarmNotifications;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, table, keys } = props;

    // Every alarm in this stack notifies the stage's alarm topic on ALARM and OK, attached once
    // here by an aspect (at synthesis, after composition) rather than by each construct.
    this.alarmNotifications = new AlarmNotifications(this, 'Alarms', {
      stage: config,
      emails: alarmEmailsFor(config, this.node.tryGetContext('alarmEmails')),
    });
    Aspects.of(this).add(new AlarmActions(this.alarmNotifications.topic));

    this.auth = new Auth(this, 'Auth', { stage: config });
    // Bus first (workflows may put events on it), then the workflows (rules may target them).
    this.events = new EventBackbone(this, 'Events', { stage: config, table });
    this.workflows = new Workflows(this, 'Workflows', {
      stage: config,
      table,
      eventBus: this.events.bus,
      keys,
    });
    this.events.addRules(rules, this.workflows);
    this.httpApi = new RelayHttpApi(this, 'HttpApi', {
      stage: config,
      userPool: this.auth.userPool,
      userPoolClients: [this.auth.webClient],
    });
    this.capabilities = Object.fromEntries(
      capabilityConstructs.map((Capability) => [
        Capability.capability.name,
        new Capability(this.httpApi, { stage: config, table, workflows: this.workflows, keys }),
      ]),
    ) as Record<CapabilityName, CapabilityConstruct>;

    this.recycleBin = new RecycleBin(this, 'RecycleBin', { stage: config, table });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: this.auth.webClient.userPoolClientId });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmNotifications.topic.topicArn });
  }
}
