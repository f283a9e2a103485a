/**
 * A dead-letter queue of an asynchronous target: SQS-managed encryption, TLS-only access, the
 * longest retention SQS allows (time to fix the cause and redrive), and an alarm as soon as one
 * message is waiting. A DLQ that fills silently is a DLQ nobody reads.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';

export interface DeadLetterQueueProps {
  readonly stage: StageConfig;
  /** What ends up here, for the alarm description (e.g. "events the webhook dispatcher failed"). */
  readonly holds: string;
}

export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  /** ApproximateNumberOfMessagesVisible > 0; actions (the alarm topic) are added by the `AlarmActions` aspect. */
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    const { stage } = props;

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: stage.removalPolicy,
    });
    this.alarm = new Alarm(this, 'NotEmptyAlarm', {
      alarmDescription: `Relay ${stage.stage}: ${props.holds} are waiting in ${this.node.path} (inspect, fix, redrive)`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: Stats.MAXIMUM,
      }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
