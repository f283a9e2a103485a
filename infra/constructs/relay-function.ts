/**
 * `RelayFunction`: every Relay Lambda function, with the defaults written once — Node 24 on
 * Graviton, ESM bundle (with a `require` shim for CommonJS dependencies), minified with source
 * maps, X-Ray tracing, JSON logs into an explicit log group with the stage's retention, and a
 * role that can write to that log group only (no `AWSLambdaBasicExecutionRole`, whose logs
 * permissions cover every log group in the account).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import { UNREACHED_CREDENTIAL_PROVIDERS } from '#infra/config/bundling';
import {
  type EnvRefValues,
  envRefResolver,
  type FunctionDef,
  type FunctionSettings,
  functionSettings,
  resolveEnvironment,
} from '#infra/config/functions';
import type { StageConfig } from '#infra/config/stages';

/** Repository root: entries and the lock file are resolved from here, not from the CWD. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Lets ESM bundles load CommonJS dependencies that call `require()` on Node built-ins. */
const requireShim =
  "import { createRequire as __relayCreateRequire } from 'node:module'; const require = __relayCreateRequire(import.meta.url);";

/**
 * The table ARN as cdk-nag renders it in a finding of a policy in `scope`'s stack: for a table of
 * another stack, the name of the export CDK creates for the cross-stack reference (the same
 * export `exportValue` returns), else the table's own ARN expression.
 */
export const tableArnAsSeenFrom = (scope: Construct, table: ITable): string => {
  const here = Stack.of(scope);
  const owner = Stack.of(table);
  const arn = owner === here ? table.tableArn : owner.exportValue(table.tableArn);
  return flattenCfnReference(here.resolve(arn));
};

export interface RelayFunctionProps {
  /**
   * Which function of the app this is: its handler file, timeout, memory and environment come from
   * `functionSettings(stage, definition)` (infra/config/functions.ts), the same derivation the
   * local cloud runs it with.
   */
  readonly definition: FunctionDef;
  readonly stage: StageConfig;
  /** What the environment's resource references resolve to here (CDK tokens). */
  readonly refs: EnvRefValues;
  readonly description?: string;
  /** Caps the function's concurrency (and reserves it) — event consumers, so bursts cannot starve the API. */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Asynchronous invocations (EventBridge targets): Lambda's own retries of an invocation that
   * threw, then the original event into `deadLetterQueue`.
   */
  readonly asyncInvoke?: {
    readonly deadLetterQueue: IQueue;
    readonly retryAttempts: number;
    readonly maxEventAge: Duration;
  };
  /**
   * Why other actions of this function need `Resource: "*"` besides X-Ray's (appended to the
   * role's `AwsSolutions-IAM5[Resource::*]` acknowledgement, which covers every such statement).
   */
  readonly resourceStarReason?: string;
  /**
   * Files the handler reads at runtime (`new URL('./<name>', import.meta.url)`), relative to the
   * repository root: copied next to `index.mjs` after bundling, so they are part of the asset
   * without being bundled code (e.g. the docs page's Swagger UI files).
   */
  readonly assets?: readonly string[];
}

/** The shell commands that copy `assets` into the bundle directory (checked: repo files, plain names). */
const copyAssets = (assets: readonly string[], inputDir: string, outputDir: string): string[] =>
  assets.map((asset) => {
    if (!/^[\w@.-]+(?:\/[\w@.-]+)*$/.test(asset) || asset.split('/').includes('..')) {
      throw new Error(`RelayFunction asset ${asset}: use a plain path relative to the repository root`);
    }
    if (!existsSync(`${repoRoot}${asset}`)) throw new Error(`RelayFunction asset ${asset} does not exist`);
    return `cp "${inputDir}/${asset}" "${outputDir}/"`;
  });

/** Table access a function needs; each maps to one `grant*` method of the table. */
export type TableAccess = 'read' | 'write' | 'readWrite';

export class RelayFunction extends Construct {
  /** Handler file, relative to the repository root. */
  readonly entry: string;
  readonly definition: FunctionDef;
  /** Timeout, memory and environment (with references) as `functionSettings` derives them. */
  readonly settings: FunctionSettings;
  /** Repository files copied next to `index.mjs` (`RelayFunctionProps.assets`). */
  readonly assets: readonly string[];
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** Errors and throttles alarms (thresholds from the stage); actions (the alarm topic) are added by the `AlarmActions` aspect. */
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: RelayFunctionProps) {
    super(scope, id);
    const { stage } = props;
    this.definition = props.definition;
    this.settings = functionSettings(stage, props.definition);
    this.entry = this.settings.entry;
    this.assets = props.assets ?? [];

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${repoRoot}${this.entry}`,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: this.settings.memoryMB,
      timeout: Duration.seconds(this.settings.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[stage.logLevel],
      // INFO keeps the platform REPORT lines (duration, memory, init) for Logs Insights.
      systemLogLevelV2: SystemLogLevel.INFO,
      description: props.description,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      ...(props.asyncInvoke ? { ...props.asyncInvoke } : {}),
      environment: resolveEnvironment(this.settings.environment, envRefResolver(props.refs, this.node.path)),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: requireShim,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The SDK is bundled at the lockfile's versions (the ones the tests ran against)
        // instead of whatever the runtime ships, minus the credential providers Lambda never
        // reaches (infra/config/bundling.ts).
        bundleAwsSDK: true,
        externalModules: [...UNREACHED_CREDENTIAL_PROVIDERS],
        ...(props.assets?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  copyAssets(props.assets ?? [], inputDir, outputDir),
              },
            }
          : {}),
      },
    });

    const { alarms } = stage;
    const alarm = (name: string, metric: Metric, threshold: number) =>
      new Alarm(this, `${name}Alarm`, {
        alarmDescription: `${this.node.path}: ${name.toLowerCase()}`,
        metric,
        threshold,
        evaluationPeriods: alarms.evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    this.alarms = [
      alarm(
        'Errors',
        this.fn.metricErrors({ period: alarms.period, statistic: Stats.SUM }),
        alarms.lambdaErrorsThreshold,
      ),
      alarm(
        'Throttles',
        this.fn.metricThrottles({ period: alarms.period, statistic: Stats.SUM }),
        alarms.lambdaThrottlesThreshold,
      ),
    ];

    const xrayReason =
      'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so AWS requires Resource "*" for them.';
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: props.resourceStarReason ? `${xrayReason} ${props.resourceStarReason}` : xrayReason,
    });
  }

  /** Grants the function the given access to the table (via `grant*`); `TABLE_NAME` comes from its settings. */
  bindTable(table: ITable, access: TableAccess): this {
    if (access === 'read') table.grantReadData(this.fn);
    else if (access === 'write') table.grantWriteData(this.fn);
    else table.grantReadWriteData(this.fn);

    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${tableArnAsSeenFrom(this, table)}/index/*]`,
      reason:
        "Table grant* methods cover the table's global secondary indexes as <table ARN>/index/*: the wildcard spans only the indexes of this one table (gsi1, gsi2 in shared/db/table.ts), which the access patterns query.",
    });
    return this;
  }
}
