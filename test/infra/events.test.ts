/**
 * The event backbone and workflows of every stage, checked against their sources of truth: the bus
 * and archive, one rule per `events/rules.ts` entry with the manifest's pattern verbatim, a DLQ and
 * a retry policy on every target, the stream publisher's event source mapping, its permissions,
 * state machines built from `infra/workflows/*.asl.json` with every placeholder resolved, and an
 * alarm on every DLQ. No stage bundles here (stacks.test.ts bundles dev, these functions included).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '#events/rules';
import { stageConfig, stageNames } from '#infra/config/stages';
import { streamPublisherSource } from '#infra/config/stream-source';
import {
  placeholdersOf,
  readWorkflowDefinition,
  resolvePlaceholder,
  taskTimeoutsOf,
  workflowNames,
  workflowStarters,
} from '#infra/config/workflows';
import { streamPublisherEntry } from '#infra/constructs/event-backbone';
import type { RelayFunction } from '#infra/constructs/relay-function';
import type { AppStack } from '#infra/stacks/app-stack';
import { auditedEntities } from '#shared/domain/audit/mapping';
import { publishedEntities } from '#shared/events/from-stream';
import { stageLiterals } from './support/stage-literals.ts';
import { getAtt, logicalId, type Resources, type Synthesized, synthesize } from './support/synth.ts';

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
  Condition?: unknown;
}

const lambdaHandlers = [
  ...new Set(rules.flatMap((r) => (r.target.kind === 'lambda' ? [r.target.handler] : []))),
];
const workflowRules = rules.filter((r) => r.target.kind === 'stateMachine');
const workflows = workflowNames();

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe.each(stageNames)('stage %s', (stage) => {
  const config = stageConfig(stage);
  const literal = stageLiterals[stage];
  let s: Synthesized;
  let stack: AppStack;
  let resources: Resources;

  const idOf = (element: unknown) => logicalId(stack, element);
  const fnId = (fn: RelayFunction) => idOf(fn.fn.node.defaultChild);
  const statementsOf = (fn: RelayFunction | { roleId: string }): Statement[] => {
    const roleId = 'roleId' in fn ? fn.roleId : idOf(fn.role.node.defaultChild);
    return Object.values(resources)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::Policy' &&
          JSON.stringify(r.Properties.Roles).includes(JSON.stringify({ Ref: roleId })),
      )
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  const ofType = (type: string) =>
    Object.entries(resources).filter(([, r]) => r.Type === type) as Array<[string, Resources[string]]>;

  beforeAll(() => {
    s = synthesize(stage, { bundle: false });
    stack = s.relay.appStack;
    resources = s.app.toJSON().Resources as Resources;
  });

  it('synthesizes', () => {
    // Prepare: synthesized in beforeAll

    // Act
    const error = s.synthError;

    // Assess
    expect(error).toBeUndefined();
  });

  describe('bus', () => {
    it('is named relay-<stage>', () => {
      // Prepare / Act / Assess
      s.app.resourceCountIs('AWS::Events::EventBus', 1);
      s.app.hasResourceProperties('AWS::Events::EventBus', { Name: `relay-${stage}` });
    });

    it('archives every event of the account for the stage retention, for replay', () => {
      // Prepare
      const busId = idOf(stack.events.bus.node.defaultChild);

      // Act / Assess
      s.app.resourceCountIs('AWS::Events::Archive', 1);
      s.app.hasResourceProperties('AWS::Events::Archive', {
        SourceArn: getAtt(busId, 'Arn'),
        EventPattern: { account: [{ Ref: 'AWS::AccountId' }] },
        RetentionDays: literal.archiveRetentionDays,
      });
    });
  });

  describe('rules (events/rules.ts)', () => {
    it('has exactly one rule per manifest entry, on the bus', () => {
      // Prepare
      const busId = idOf(stack.events.bus.node.defaultChild);

      // Act: the bus rules (schedules, such as the recycle bin sweep, have no event pattern)
      const ruleResources = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern);

      // Assess
      expect(ruleResources).toHaveLength(rules.length);
      expect(Object.keys(stack.events.rules).sort()).toEqual(rules.map((r) => r.name).sort());
      for (const [, rule] of ruleResources) expect(rule.Properties.EventBusName).toEqual({ Ref: busId });
    });

    it.each(rules.map((r) => [r.name, r] as const))(
      'passes the pattern of %s through verbatim',
      (name, def) => {
        // Prepare
        const ruleId = idOf(stack.events.rules[name]?.node.defaultChild);

        // Act
        const rule = resources[ruleId]?.Properties;

        // Assess
        expect(rule?.EventPattern).toEqual(def.pattern);
        expect(rule?.Description).toBe(def.description);
        expect(rule?.Targets).toHaveLength(1);
      },
    );

    it('gives every target a DLQ and the stage retry policy', () => {
      // Prepare
      const { maxEventAge, retryAttempts } = config.events.targetRetry;

      // Act
      const targets = ofType('AWS::Events::Rule')
        .filter(([, r]) => r.Properties.EventPattern)
        .flatMap(([, r]) => r.Properties.Targets as Array<Record<string, unknown>>);

      // Assess
      expect(targets).toHaveLength(rules.length);
      for (const target of targets) {
        expect(target).toMatchObject({
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
          RetryPolicy: {
            MaximumEventAgeInSeconds: maxEventAge.toSeconds(),
            MaximumRetryAttempts: retryAttempts,
          },
        });
      }
    });

    it.each(rules.flatMap((r) => (r.target.kind === 'lambda' ? [[r.name, r.target.handler] as const] : [])))(
      'targets %s at the function of its handler %s',
      (name, handler) => {
        // Prepare
        const consumer = stack.events.consumers[handler];
        const ruleId = idOf(stack.events.rules[name]?.node.defaultChild);

        // Act
        const [target] = (resources[ruleId]?.Properties.Targets ?? []) as Array<Record<string, unknown>>;

        // Assess
        expect(consumer?.fn.entry).toBe(handler);
        expect(target?.Arn).toEqual(consumer && getAtt(fnId(consumer.fn), 'Arn'));
      },
    );

    it('builds one consumer function per distinct handler, with the table, the bus name and its DLQ for failed invocations', () => {
      // Prepare
      const busId = idOf(stack.events.bus.node.defaultChild);
      const { maxEventAge, retryAttempts } = config.events.consumerRetry;

      // Act
      const consumers = Object.entries(stack.events.consumers);

      // Assess
      expect(consumers.map(([handler]) => handler).sort()).toEqual([...lambdaHandlers].sort());
      for (const [handler, { fn, deadLetters }] of consumers) {
        const props = resources[fnId(fn)]?.Properties;
        const queueArn = getAtt(idOf(deadLetters.queue.node.defaultChild), 'Arn');
        expect(props?.Environment, handler).toMatchObject({
          Variables: { EVENT_BUS_NAME: { Ref: busId }, TABLE_NAME: expect.anything() },
        });
        expect(props?.DeadLetterConfig, handler).toEqual({ TargetArn: queueArn });
        const statements = statementsOf(fn);
        expect(statements.some((st) => asArray(st.Action).includes('dynamodb:PutItem'))).toBe(true);
        s.app.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: fnId(fn) },
          MaximumEventAgeInSeconds: maxEventAge.toSeconds(),
          MaximumRetryAttempts: retryAttempts,
        });
        // The rule target and the function's own DLQ are the same queue.
        const targetsOfHandler = ofType('AWS::Events::Rule')
          .flatMap(([, r]) => r.Properties.Targets as Array<Record<string, unknown>>)
          .filter((t) => JSON.stringify(t.Arn) === JSON.stringify(getAtt(fnId(fn), 'Arn')));
        for (const target of targetsOfHandler) expect(target.DeadLetterConfig).toEqual({ Arn: queueArn });
      }
    });

    it.each(workflowRules.map((r) => [r.name, r] as const))(
      'targets %s at its workflow state machine',
      (name, def) => {
        // Prepare
        const workflow = def.target.kind === 'stateMachine' ? def.target.workflow : '';
        const machineId = idOf(stack.workflows.workflow(workflow).stateMachine.node.defaultChild);
        const ruleId = idOf(stack.events.rules[name]?.node.defaultChild);

        // Act
        const [target] = (resources[ruleId]?.Properties.Targets ?? []) as Array<Record<string, unknown>>;

        // Assess
        expect(target?.Arn).toEqual({ Ref: machineId });
      },
    );
  });

  describe('stream publisher', () => {
    const mapping = () => {
      const found = ofType('AWS::Lambda::EventSourceMapping');
      expect(found).toHaveLength(1);
      return found[0]?.[1].Properties ?? {};
    };

    it(`runs ${streamPublisherEntry} with the bus name`, () => {
      // Prepare
      const { publisher } = stack.events;
      const busId = idOf(stack.events.bus.node.defaultChild);

      // Act
      const props = resources[fnId(publisher)]?.Properties;

      // Assess
      expect(publisher.entry).toBe(streamPublisherEntry);
      expect(props?.Environment).toMatchObject({ Variables: { EVENT_BUS_NAME: { Ref: busId } } });
    });

    it('reads the table stream from the trim horizon in batches of 100, reporting batch item failures and bisecting', () => {
      // Prepare
      const tableId = logicalId(s.relay.data, s.relay.data.table.node.defaultChild);

      // Act
      const props = mapping();

      // Assess
      expect(props).toMatchObject({
        FunctionName: { Ref: fnId(stack.events.publisher) },
        EventSourceArn: {
          'Fn::ImportValue': expect.stringMatching(
            new RegExp(`^Relay-${stage}-Data:ExportsOutputFnGetAtt${tableId}StreamArn`),
          ),
        },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: config.events.streamMaxRecordAge.toSeconds(),
      });
    });

    it('sends failed batches to its DLQ', () => {
      // Prepare
      const queueId = idOf(stack.events.publisherDeadLetters.queue.node.defaultChild);

      // Act
      const props = mapping();

      // Assess
      expect(props.DestinationConfig).toEqual({ OnFailure: { Destination: getAtt(queueId, 'Arn') } });
    });

    it('receives only records of published or audited entities (new image, or old image of a REMOVE)', () => {
      // Prepare
      const entities = { S: [...new Set([...publishedEntities, ...auditedEntities])] };

      // Act
      const patterns = (
        (mapping().FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters ?? []
      ).map((f) => JSON.parse(f.Pattern) as unknown);

      // Assess
      expect(patterns).toEqual([
        { dynamodb: { NewImage: { entity: entities } } },
        { eventName: ['REMOVE'], dynamodb: { OldImage: { entity: entities } } },
      ]);
    });

    it('deploys the filter criteria, batch size and retries the local stream runner applies', () => {
      // Act
      const props = mapping();

      // Assess: the local runner (infra/local/streams.ts) is started with streamPublisherSource.
      expect(props.FilterCriteria).toEqual(streamPublisherSource.filterCriteria);
      expect(props.BatchSize).toBe(streamPublisherSource.batchSize);
      expect(props.MaximumRetryAttempts).toBe(streamPublisherSource.retryAttempts);
    });

    it('may put events on the bus and nowhere else', () => {
      // Prepare
      const busArn = getAtt(idOf(stack.events.bus.node.defaultChild), 'Arn');

      // Act
      const eventsStatements = statementsOf(stack.events.publisher).filter((st) =>
        asArray(st.Action).some((a) => a.startsWith('events:')),
      );

      // Assess
      expect(eventsStatements).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: busArn }]);
    });

    it('reads only its stream and writes only audit partitions (BatchWriteItem on AUDIT# leading keys)', () => {
      // Prepare
      const dataActions = [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Scan',
      ];

      // Act
      const statements = statementsOf(stack.events.publisher);
      const actions = statements.flatMap((st) => asArray(st.Action));
      const batchWrite = statements.filter((st) => asArray(st.Action).includes('dynamodb:BatchWriteItem'));

      // Assess
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator']));
      expect(actions.filter((a) => dataActions.includes(a))).toEqual([]);
      expect(batchWrite).toHaveLength(1);
      expect(batchWrite[0]?.Condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] },
      });
    });

    it('sets TABLE_NAME and the stage’s AUDIT_RETENTION_DAYS for the audit step', () => {
      // Act
      const fn = s.app.findResources('AWS::Lambda::Function')[fnId(stack.events.publisher)];

      // Assess
      const props = fn?.Properties as { Environment: { Variables: Record<string, unknown> } } | undefined;
      const variables = props?.Environment.Variables ?? {};
      expect(variables.AUDIT_RETENTION_DAYS).toBe(String(literal.auditRetentionDays));
      expect(variables.TABLE_NAME).toBeDefined();
    });

    it('alarms when the publisher lags (iterator age) at the stage threshold', () => {
      // Prepare
      const fn = fnId(stack.events.publisher);

      // Act / Assess
      s.app.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
        Statistic: 'Maximum',
        Threshold: config.events.streamIteratorAgeAlarm.toMilliseconds(),
      });
    });
  });

  describe('dead-letter queues', () => {
    it('encrypts every queue, requires TLS and keeps messages 14 days', () => {
      // Prepare
      const queues = ofType('AWS::SQS::Queue');

      // Act
      const unsafe = queues.filter(([id]) => {
        const policy = ofType('AWS::SQS::QueuePolicy').find(([, p]) =>
          JSON.stringify(p.Properties.Queues).includes(JSON.stringify({ Ref: id })),
        );
        return !JSON.stringify(policy?.[1].Properties.PolicyDocument).includes(
          '"aws:SecureTransport":"false"',
        );
      });

      // Assess
      expect(queues.length).toBeGreaterThan(0);
      for (const [, q] of queues) {
        expect(q.Properties).toMatchObject({
          SqsManagedSseEnabled: true,
          MessageRetentionPeriod: 14 * 24 * 3600,
        });
      }
      expect(unsafe.map(([id]) => id)).toEqual([]);
    });

    it('alarms on every queue as soon as one message is visible', () => {
      // Prepare
      const queueIds = ofType('AWS::SQS::Queue').map(([id]) => id);

      // Act
      const alarmed = ofType('AWS::CloudWatch::Alarm')
        .map(([, a]) => a.Properties)
        .filter(
          (a) =>
            a.Namespace === 'AWS/SQS' &&
            a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            a.ComparisonOperator === 'GreaterThanThreshold' &&
            a.Threshold === 0,
        )
        .map(
          (a) =>
            (a.Dimensions as Array<{ Value: { 'Fn::GetAtt': [string, string] } }>)[0]?.Value['Fn::GetAtt'][0],
        );

      // Assess
      expect(alarmed.sort()).toEqual(queueIds.sort());
    });

    it('has one queue per consumer, per workflow target, for the stream and for the recycle bin sweep', () => {
      // Prepare
      const expected = lambdaHandlers.length + workflowRules.length + 2;

      // Act / Assess
      s.app.resourceCountIs('AWS::SQS::Queue', expected);
    });
  });

  describe('recycle bin sweep', () => {
    it('runs the sweeper every hour with a DLQ and retries, with table access and the stage window', () => {
      // Prepare
      const sweeperId = idOf(stack.recycleBin.sweeper.fn.node.defaultChild);

      // Act
      const schedules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.ScheduleExpression);

      // Assess
      expect(schedules).toHaveLength(1);
      expect(schedules[0]?.[1].Properties).toMatchObject({
        ScheduleExpression: 'rate(1 hour)',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [sweeperId, 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
            RetryPolicy: { MaximumRetryAttempts: 2 },
          },
        ],
      });
      const sweeper = resources[sweeperId] as unknown as {
        Properties: { Environment: { Variables: unknown } };
      };
      expect(sweeper.Properties.Environment.Variables).toMatchObject({
        RECYCLE_BIN_DAYS: String(literal.recycleBinDays),
        TABLE_NAME: expect.anything(),
      });
    });

    it('caps every event consumer at the stage’s reserved concurrency and remembers events as long as the archive', () => {
      // Prepare
      const consumers = Object.entries(resources).filter(
        ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('EventsConsumer'),
      );

      // Assess
      expect(consumers.length).toBeGreaterThan(0);
      for (const [, fn] of consumers) {
        const props = fn.Properties as {
          ReservedConcurrentExecutions?: number;
          Environment: { Variables: Record<string, string> };
        };
        expect(props.ReservedConcurrentExecutions).toBe(config.events.consumerReservedConcurrency);
        expect(Number(props.Environment.Variables.DEDUPE_TTL_DAYS)).toBeGreaterThanOrEqual(
          literal.archiveRetentionDays,
        );
      }
    });

    it('gives the purge consumer the 15-minute timeout its rule asks for', () => {
      // Prepare
      const purgeId = Object.entries(resources).find(
        ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.includes('Consumerpurgecustomer'),
      )?.[0];

      // Assess
      expect(purgeId).toBeDefined();
      expect(
        (resources[purgeId ?? ''] as { Properties: { Timeout?: number } } | undefined)?.Properties.Timeout,
      ).toBe(900);
    });
  });

  describe.runIf(workflows.length > 0)('workflows (infra/workflows/*.asl.json)', () => {
    it('builds one STANDARD state machine per ASL file, traced and logging ALL without execution data', () => {
      // Prepare
      const machines = ofType('AWS::StepFunctions::StateMachine');

      // Act
      const names = machines.map(([, m]) => m.Properties.StateMachineName).sort();

      // Assess
      expect(names).toEqual(workflows.map((w) => `relay-${stage}-${w}`).sort());
      for (const name of workflows) {
        const workflow = stack.workflows.workflow(name);
        const logsId = idOf(workflow.logGroup.node.defaultChild);
        s.app.hasResourceProperties('AWS::StepFunctions::StateMachine', {
          StateMachineName: `relay-${stage}-${name}`,
          StateMachineType: 'STANDARD',
          TracingConfiguration: { Enabled: true },
          LoggingConfiguration: {
            Level: 'ALL',
            IncludeExecutionData: false,
            Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: getAtt(logsId, 'Arn') } }],
          },
        });
        s.app.hasResourceProperties('AWS::Logs::LogGroup', {
          LogGroupName: `/aws/vendedlogs/states/relay-${stage}-${name}`,
          RetentionInDays: literal.logRetentionDays,
        });
      }
    });

    it.each(workflows)('resolves every placeholder of %s by the naming convention', (name) => {
      // Prepare
      const workflow = stack.workflows.workflow(name);
      const placeholders = placeholdersOf(readWorkflowDefinition(name));
      const expected = Object.fromEntries(
        placeholders.map((p) => {
          const resolved = resolvePlaceholder(name, p);
          if (resolved.kind === 'tableName') return [p, expect.anything()];
          if (resolved.kind === 'eventBusName') return [p, { Ref: idOf(stack.events.bus.node.defaultChild) }];
          const task = workflow.tasks[p];
          expect(task?.entry).toBe(resolved.entry);
          return [p, getAtt(fnId(task as RelayFunction), 'Arn')];
        }),
      );

      // Act
      const substitutions =
        resources[idOf(workflow.stateMachine.node.defaultChild)]?.Properties.DefinitionSubstitutions;

      // Assess
      expect(placeholders.length).toBeGreaterThan(0);
      expect(substitutions).toEqual(expected);
    });

    it.each(workflows)('gives the task functions of %s the TimeoutSeconds of their task states', (name) => {
      // Prepare
      const workflow = stack.workflows.workflow(name);
      const timeouts = taskTimeoutsOf(readWorkflowDefinition(name));

      // Act
      const actual = Object.fromEntries(
        Object.entries(workflow.tasks).map(([p, fn]) => [p, resources[fnId(fn)]?.Properties.Timeout]),
      );

      // Assess
      expect(actual).toEqual(
        Object.fromEntries(
          Object.keys(workflow.tasks).map((p) => [p, timeouts[p] ?? config.functions.timeout.toSeconds()]),
        ),
      );
    });

    it.each(workflows)('lets %s invoke its task functions (unqualified ARNs only)', (name) => {
      // Prepare
      const workflow = stack.workflows.workflow(name);
      const roleId = idOf(workflow.stateMachine.role.node.defaultChild);

      // Act
      const invoked = statementsOf({ roleId })
        .filter((st) => asArray(st.Action).includes('lambda:InvokeFunction'))
        .flatMap((st) => asArray(st.Resource));

      // Assess
      const arns = Object.values(workflow.tasks).map((t) => getAtt(fnId(t), 'Arn'));
      expect(invoked).toEqual(expect.arrayContaining(arns));
      expect(JSON.stringify(invoked)).not.toContain(':*');
    });

    it('gives every starter the state machine ARN and StartExecution on it', () => {
      // Prepare
      const functions = [
        ...Object.values(stack.events.consumers).map((c) => c.fn),
        ...Object.values(stack.capabilities).map((c) => c.function),
      ];

      // Act
      const bound = Object.entries(workflowStarters).flatMap(([name, { env, starters }]) =>
        functions.filter((fn) => starters.includes(fn.entry)).map((fn) => ({ name, env, fn })),
      );

      // Assess
      expect(bound.length).toBeGreaterThan(0);
      for (const { name, env, fn } of bound) {
        const machineRef = { Ref: idOf(stack.workflows.workflow(name).stateMachine.node.defaultChild) };
        expect(resources[fnId(fn)]?.Properties.Environment, fn.entry).toMatchObject({
          Variables: { [env]: machineRef },
        });
        expect(statementsOf(fn), fn.entry).toContainEqual(
          expect.objectContaining({ Action: 'states:StartExecution', Resource: machineRef }),
        );
      }
    });

    it('alarms on failed and timed-out executions of every workflow', () => {
      // Prepare / Act
      const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);

      // Assess
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        expect(alarms.filter((a) => a.Namespace === 'AWS/States' && a.MetricName === metric)).toHaveLength(
          workflows.length,
        );
      }
    });
  });
});
