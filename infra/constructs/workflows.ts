/**
 * Step Functions workflows: one STANDARD state machine per `infra/workflows/<name>.asl.json`, its
 * definition used unchanged (the local cloud runs the same file) with `${Placeholders}` resolved
 * by the naming convention of `infra/config/workflows.ts`. Each `<Task>FunctionArn` becomes a
 * `RelayFunction` (`functions/workflows/<name>/<task>.ts`) the state machine may invoke. Every
 * machine logs ALL events (without execution data: inputs carry customer data) to
 * `/aws/vendedlogs/states/relay-<stage>-<name>`, is traced, and alarms on failed executions.
 *
 * A workflow whose ASL file does not exist yet is simply not built.
 */
import { Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';
import {
  placeholdersOf,
  readWorkflowDefinition,
  resolvePlaceholder,
  workflowDefinitionPath,
  workflowNames,
  workflowStarters,
} from '#infra/config/workflows';
import type { DataKeys } from '#infra/stacks/data-stack';
import { RelayFunction, repoRoot, tableArnAsSeenFrom } from './relay-function.ts';

export interface WorkflowsProps {
  readonly stage: StageConfig;
  readonly table: ITable;
  readonly eventBus: IEventBus;
  /** The data stack's KMS keys (task functions that open webhook secrets get the key's ARN). */
  readonly keys: DataKeys;
}

/** One built workflow. */
export interface Workflow {
  readonly name: string;
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  /** Task functions by placeholder name (`DeliverWebhookFunctionArn` → its function). */
  readonly tasks: Readonly<Record<string, RelayFunction>>;
  /** `definitionSubstitutions` of the state machine, by placeholder name. */
  readonly substitutions: Readonly<Record<string, string>>;
}

export class Workflows extends Construct {
  readonly workflows: Readonly<Record<string, Workflow>>;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const workflows: Record<string, Workflow> = {};
    for (const name of workflowNames()) {
      workflows[name] = this.build(name, props);
    }
    this.workflows = workflows;
  }

  /** The workflow `name`; throws when `infra/workflows/<name>.asl.json` does not exist. */
  workflow(name: string): Workflow {
    const found = this.workflows[name];
    if (!found) {
      throw new Error(`Workflow "${name}" has no definition: ${workflowDefinitionPath(name)} does not exist`);
    }
    return found;
  }

  /**
   * Lets `fn` start the workflows that name its entry as a starter (`workflowStarters`):
   * `states:StartExecution` (the ARN variable is in its settings, infra/config/functions.ts).
   */
  bindStarter(fn: RelayFunction): void {
    for (const [name, { starters }] of Object.entries(workflowStarters)) {
      if (starters.includes(fn.entry)) this.workflow(name).stateMachine.grantStartExecution(fn.fn);
    }
  }

  private build(name: string, props: WorkflowsProps): Workflow {
    const { stage, table, eventBus } = props;
    const scope = new Construct(this, `Workflow-${name}`);

    const tasks: Record<string, RelayFunction> = {};
    const substitutions: Record<string, string> = {};
    let usesTable = false;
    let usesBus = false;
    const asl = readWorkflowDefinition(name);
    for (const placeholder of placeholdersOf(asl)) {
      const resolved = resolvePlaceholder(name, placeholder);
      if (resolved.kind === 'tableName') {
        substitutions[placeholder] = table.tableName;
        usesTable = true;
      } else if (resolved.kind === 'eventBusName') {
        substitutions[placeholder] = eventBus.eventBusName;
        usesBus = true;
      } else {
        // Timeout (the task state's TimeoutSeconds), memory and environment: infra/config/functions.ts.
        const task = new RelayFunction(scope, `Task-${placeholder.replace(/FunctionArn$/, '')}`, {
          definition: { kind: 'workflow-task', workflow: name, placeholder },
          stage,
          description: `Relay ${stage.stage} workflow ${name}: task ${resolved.entry}`,
          refs: { tableName: table.tableName, webhookSecretKeyArn: props.keys.webhookSecrets.keyArn },
        }).bindTable(table, 'readWrite');
        tasks[placeholder] = task;
        substitutions[placeholder] = task.fn.functionArn;
      }
    }

    const logGroup = new LogGroup(scope, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/relay-${stage.stage}-${name}`,
      retention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    const stateMachine = new StateMachine(scope, 'StateMachine', {
      stateMachineName: `relay-${stage.stage}-${name}`,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(`${repoRoot}${workflowDefinitionPath(name)}`),
      definitionSubstitutions: substitutions,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      removalPolicy: stage.removalPolicy,
    });
    // The definition calls the unqualified ARNs: no `:*` version wildcard.
    for (const task of Object.values(tasks)) task.fn.grantInvokeLatestVersion(stateMachine);
    if (usesBus) eventBus.grantPutEventsTo(stateMachine);
    if (usesTable) {
      table.grantReadWriteData(stateMachine);
      Validations.of(stateMachine.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${tableArnAsSeenFrom(stateMachine, table)}/index/*]`,
        reason: `Table grant* methods cover the table's global secondary indexes as <table ARN>/index/*: workflow ${name} uses DynamoDB tasks on the one table, and the wildcard spans only its indexes (gsi1, gsi2 in shared/db/table.ts).`,
      });
    }
    Validations.of(stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions logging and tracing: the CloudWatch Logs vended-delivery actions (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and the X-Ray actions do not support resource-level permissions, so AWS requires Resource "*" for them.',
    });

    this.alarms.push(
      new Alarm(scope, 'FailedAlarm', {
        alarmDescription: `Relay ${stage.stage} workflow ${name}: failed executions`,
        metric: stateMachine.metricFailed({ period: stage.alarms.period, statistic: Stats.SUM }),
        threshold: 1,
        evaluationPeriods: stage.alarms.evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(scope, 'TimedOutAlarm', {
        alarmDescription: `Relay ${stage.stage} workflow ${name}: timed-out executions`,
        metric: stateMachine.metricTimedOut({ period: stage.alarms.period, statistic: Stats.SUM }),
        threshold: 1,
        evaluationPeriods: stage.alarms.evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      ...Object.values(tasks).flatMap((task) => task.alarms),
    );
    return { name, stateMachine, logGroup, tasks, substitutions };
  }
}
