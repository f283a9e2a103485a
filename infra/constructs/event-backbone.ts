/**
 * The event backbone of a stage (docs/adr/0005-event-backbone-infra.md):
 *
 * - the bus `relay-<stage>` and an archive of every event on it, kept per stage, for replay;
 * - the stream publisher (`functions/streams/publish-domain-events.ts`): reads the table's stream
 *   (filtered to the entities that become domain events) and puts the events on the bus; failed
 *   batches end in a DLQ; alarms on the DLQ and on the iterator age;
 * - the rules of `events/rules.ts` (`addRules`): one rule per entry, the pattern passed through
 *   verbatim, one `RelayFunction` per distinct handler file or the workflow's state machine as the
 *   target, each with a retry policy, a DLQ and an alarm on it.
 */

import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  type Archive,
  type EventPattern as CdkEventPattern,
  EventBus,
  type IRuleTarget,
  Rule,
} from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { EventPattern, RuleDef } from '#events/rules';
import type { StageConfig } from '#infra/config/stages';
import { streamFilterPatterns, streamPublisherSource } from '#infra/config/stream-source';
import { prefixes } from '#shared/db/keys';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { RelayFunction } from './relay-function.ts';
import type { Workflows } from './workflows.ts';

export { streamEntities, streamPublisherEntry } from '#infra/config/stream-source';

/** The manifest's pattern in the shape `events.Rule` renders back to it unchanged. */
const toCdkPattern = (pattern: EventPattern): CdkEventPattern => {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as CdkEventPattern;
};

/** `functions/events/dispatch-webhooks.ts` → `dispatch-webhooks`. */
const handlerId = (handler: string): string => (handler.split('/').pop() ?? handler).replace(/\.tsx?$/, '');

export interface EventBackboneProps {
  readonly stage: StageConfig;
  /** The table whose stream (NEW_AND_OLD_IMAGES) is the outbox. */
  readonly table: ITable;
}

/** The Lambda consumer of one handler file, shared by every rule that targets it. */
export interface Consumer {
  readonly fn: RelayFunction;
  /** Holds the events EventBridge could not deliver and those the function failed after Lambda's retries. */
  readonly deadLetters: DeadLetterQueue;
}

export class EventBackbone extends Construct {
  readonly bus: EventBus;
  readonly archive: Archive;
  readonly publisher: RelayFunction;
  /** Stream batches the publisher gave up on (record metadata: shard and sequence range). */
  readonly publisherDeadLetters: DeadLetterQueue;
  readonly rules: Record<string, Rule> = {};
  /** Lambda consumers by handler file. */
  readonly consumers: Record<string, Consumer> = {};
  /** DLQ of each state-machine target, by rule name (Lambda targets use their consumer's). */
  readonly workflowTargetDeadLetters: Record<string, DeadLetterQueue> = {};
  readonly alarms: Alarm[] = [];

  private readonly stage: StageConfig;
  private readonly table: ITable;

  constructor(scope: Construct, id: string, props: EventBackboneProps) {
    super(scope, id);
    const { stage, table } = props;
    this.stage = stage;
    this.table = table;

    this.bus = new EventBus(this, 'Bus', {
      eventBusName: `relay-${stage.stage}`,
      description: `Relay ${stage.stage}: domain events (events/catalog.ts)`,
    });
    this.archive = this.bus.archive('Archive', {
      archiveName: `relay-${stage.stage}`,
      description: `Every event on relay-${stage.stage}, kept for replay`,
      eventPattern: { account: [Stack.of(this).account] },
      retention: stage.events.archiveRetention,
    });

    this.publisherDeadLetters = new DeadLetterQueue(this, 'PublisherDeadLetters', {
      stage,
      holds: 'stream batches the domain event publisher gave up on',
    });
    Validations.of(this.publisherDeadLetters.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the on-failure destination of the stream publisher's event source mapping (it receives the shard and sequence range of failed stream batches); cdk-nag recognises a DLQ only from an SQS redrive policy or a Lambda DeadLetterConfig.",
    });

    // Timeout (60 s), memory and environment (bus, table, audit retention): infra/config/functions.ts.
    this.publisher = new RelayFunction(this, 'StreamPublisher', {
      definition: { kind: 'stream-publisher' },
      stage,
      description: `Relay ${stage.stage}: table stream → domain events on relay-${stage.stage}`,
      refs: { eventBusName: this.bus.eventBusName, tableName: table.tableName },
      resourceStarReason:
        'DynamoEventSource grants dynamodb:ListStreams on "*" (Table.grantStreamRead), which only lists stream ARNs; reading records (DescribeStream, GetShardIterator, GetRecords) is granted on this table\'s stream ARN only.',
    });
    // The audit step: BatchWriteItem (puts only) of audit partitions (`AUDIT#…`), nothing else of the table.
    this.publisher.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchWriteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefixes.audit}*`] } },
      }),
    );
    this.bus.grantPutEventsTo(this.publisher.fn);
    this.publisher.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: streamPublisherSource.batchSize,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: streamPublisherSource.retryAttempts,
        maxRecordAge: stage.events.streamMaxRecordAge,
        onFailure: new SqsDlq(this.publisherDeadLetters.queue),
        // The same patterns the local stream runner applies (infra/config/stream-source.ts).
        filters: streamFilterPatterns.map((filter) => FilterCriteria.filter(filter)),
      }),
    );

    this.alarms.push(
      this.publisherDeadLetters.alarm,
      new Alarm(this, 'PublisherIteratorAgeAlarm', {
        alarmDescription: `Relay ${stage.stage}: domain events lag the table by ${stage.events.streamIteratorAgeAlarm.toHumanString()} or more`,
        metric: this.publisher.fn.metric('IteratorAge', {
          period: Duration.minutes(1),
          statistic: Stats.MAXIMUM,
        }),
        threshold: stage.events.streamIteratorAgeAlarm.toMilliseconds(),
        evaluationPeriods: stage.alarms.evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      ...this.publisher.alarms,
    );
  }

  /**
   * One rule per manifest entry on the bus. `workflows` builds the state-machine targets and
   * gives consumers that start a workflow its ARN and permission.
   */
  addRules(rules: readonly RuleDef[], workflows: Workflows): void {
    for (const def of rules) {
      if (this.rules[def.name]) throw new Error(`events/rules.ts: duplicate rule name "${def.name}"`);
      this.rules[def.name] = new Rule(this, `Rule-${def.name}`, {
        eventBus: this.bus,
        description: def.description,
        eventPattern: toCdkPattern(def.pattern),
        targets: [this.target(def, workflows)],
      });
    }
  }

  /** The rule's target with the stage retry policy and a DLQ. */
  private target(def: RuleDef, workflows: Workflows): IRuleTarget {
    const { stage } = this;
    const retry = {
      maxEventAge: stage.events.targetRetry.maxEventAge,
      retryAttempts: stage.events.targetRetry.retryAttempts,
    };
    if (def.target.kind === 'lambda') {
      const consumer = this.consumer(def.target.handler, workflows, def.target.timeoutSeconds);
      return new LambdaFunction(consumer.fn.fn, { deadLetterQueue: consumer.deadLetters.queue, ...retry });
    }
    const { workflow } = def.target;
    const deadLetters = new DeadLetterQueue(this, `Rule-${def.name}-DeadLetters`, {
      stage,
      holds: `events rule ${def.name} could not deliver to workflow ${workflow}`,
    });
    Validations.of(deadLetters.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is the dead-letter queue of rule ${def.name}'s EventBridge target (workflow ${workflow}); cdk-nag recognises a DLQ only from an SQS redrive policy or a Lambda DeadLetterConfig.`,
    });
    this.workflowTargetDeadLetters[def.name] = deadLetters;
    this.alarms.push(deadLetters.alarm);
    return new SfnStateMachine(workflows.workflow(workflow).stateMachine, {
      deadLetterQueue: deadLetters.queue,
      ...retry,
    });
  }

  /** The consumer of `handler`, created on first use. */
  private consumer(handler: string, workflows: Workflows, timeoutSeconds?: number): Consumer {
    const existing = this.consumers[handler];
    if (existing) return existing;
    const { stage } = this;
    const id = handlerId(handler);
    const deadLetters = new DeadLetterQueue(this, `Consumer-${id}-DeadLetters`, {
      stage,
      holds: `events ${handler} could not take`,
    });
    const fn = new RelayFunction(this, `Consumer-${id}`, {
      definition: {
        kind: 'consumer',
        handler,
        ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      },
      stage,
      description: `Relay ${stage.stage}: event consumer ${handler}`,
      refs: {
        eventBusName: this.bus.eventBusName,
        tableName: this.table.tableName,
        stateMachineArn: (workflow) => workflows.workflow(workflow).stateMachine.stateMachineArn,
      },
      ...(stage.events.consumerReservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: stage.events.consumerReservedConcurrency }),
      // The same queue as the rule target's DLQ: both hold the original event as the message body.
      asyncInvoke: { deadLetterQueue: deadLetters.queue, ...stage.events.consumerRetry },
    }).bindTable(this.table, 'readWrite');
    workflows.bindStarter(fn);
    const consumer = { fn, deadLetters };
    this.consumers[handler] = consumer;
    this.alarms.push(deadLetters.alarm, ...fn.alarms);
    return consumer;
  }
}
