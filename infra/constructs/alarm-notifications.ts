/**
 * Where a stage's alarms go: one SNS topic `relay-<stage>-alarms`, encrypted with a customer-managed
 * KMS key (rotated yearly), TLS-only, publishable by CloudWatch alarms of this account, with optional
 * email subscriptions. `AlarmActions` is the aspect that points every alarm of a scope at the topic
 * for both ALARM and OK, so an alarm added later cannot be left without a recipient (see
 * docs/adr/0007-alarm-notifications.md).
 */
import { ArnFormat, type IAspect, Stack } from 'aws-cdk-lib';
import { AlarmBase } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';

export interface AlarmNotificationsProps {
  readonly stage: StageConfig;
  /** Validated addresses to subscribe (see `alarmEmailsFor` in `infra/config/stages.ts`). */
  readonly emails: readonly string[];
}

export const alarmTopicName = (stage: string): string => `relay-${stage}-alarms`;

export class AlarmNotifications extends Construct {
  readonly key: Key;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmNotificationsProps) {
    super(scope, id);
    const { stage, emails } = props;
    const stack = Stack.of(this);
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');

    // Customer-managed, not `alias/aws/sns`: the AWS-managed key's policy cannot be changed, so
    // CloudWatch could not encrypt its messages and alarm notifications would be dropped.
    this.key = new Key(this, 'Key', {
      alias: alarmTopicName(stage.stage),
      description: `Relay ${stage.stage}: encrypts the alarm topic ${alarmTopicName(stage.stage)}`,
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [cloudwatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      topicName: alarmTopicName(stage.stage),
      displayName: `Relay ${stage.stage} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, so CloudWatch is allowed explicitly, and only for
    // alarms of this account and region (no confused deputy).
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    for (const email of emails) {
      this.topic.addSubscription(new EmailSubscription(email));
    }
  }
}

/**
 * Aspect: adds `SnsAction(topic)` as an ALARM and an OK action of every CloudWatch alarm (metric or
 * composite) in the scope it is applied to. Apply it to the stack that owns the topic: an alarm in
 * another stack would need a cross-stack reference (the tests check every stack's alarms).
 */
export class AlarmActions implements IAspect {
  private readonly action: SnsAction;
  private readonly done = new WeakSet<AlarmBase>();

  constructor(topic: ITopic) {
    this.action = new SnsAction(topic);
  }

  visit(node: IConstruct): void {
    if (node instanceof AlarmBase && !this.done.has(node)) {
      this.done.add(node);
      node.addAlarmAction(this.action);
      node.addOkAction(this.action);
    }
  }
}
