/**
 * The recycle bin's clock: an hourly EventBridge schedule runs `functions/schedules/sweep-recycle-bin.ts`,
 * which writes a tombstone for every deleted customer whose window (`privacy.recycleBinDays`) has
 * passed (the purge itself runs from the tombstones' events, `purge-customers` in events/rules.ts)
 * and removes every deleted company past its window.
 * Failed invocations are retried and then kept in a DLQ with an alarm.
 */
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { RelayFunction } from './relay-function.ts';

export { recycleBinSweeperEntry } from '#infra/config/functions';

export interface RecycleBinProps {
  readonly stage: StageConfig;
  readonly table: ITable;
}

export class RecycleBin extends Construct {
  readonly sweeper: RelayFunction;
  readonly schedule: Rule;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: RecycleBinProps) {
    super(scope, id);
    const { stage, table } = props;
    const deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      stage,
      holds: 'recycle bin sweeps that failed',
    });
    // Timeout (5 minutes), memory and environment: infra/config/functions.ts.
    this.sweeper = new RelayFunction(this, 'Sweeper', {
      definition: { kind: 'recycle-bin-sweeper' },
      stage,
      description: `Relay ${stage.stage}: purges customers and companies past the recycle bin window`,
      refs: { tableName: table.tableName },
      asyncInvoke: { deadLetterQueue: deadLetters.queue, ...stage.events.consumerRetry },
    }).bindTable(table, 'readWrite');
    this.schedule = new Rule(this, 'Hourly', {
      description: `Relay ${stage.stage}: hourly recycle bin sweep`,
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [
        new LambdaFunction(this.sweeper.fn, {
          deadLetterQueue: deadLetters.queue,
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });
    this.alarms = [deadLetters.alarm, ...this.sweeper.alarms];
  }
}
