/**
 * The shared HTTP API: the API itself, the JWT authorizer (Cognito user pool), the `$default`
 * stage with its access log, default throttling and CORS, and the API's 5xx alarm (the cursor key
 * ring the area functions share is a secret in the data stack). The capability constructs
 * (`infra/constructs/capabilities/`) mount their area function and routes on it.
 */
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  type CorsPreflightOptions,
  HttpApi,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { CorsConfig, StageConfig } from '#infra/config/stages';

export interface HttpApiProps {
  readonly stage: StageConfig;
  readonly userPool: IUserPool;
  /** App clients whose access tokens the authorizer accepts (checked against `client_id`). */
  readonly userPoolClients: IUserPoolClient[];
}

/** The stage's CORS configuration as `HttpApi` takes it (the local gateway applies the same config). */
export const corsPreflightOf = (cors: CorsConfig): CorsPreflightOptions => ({
  allowOrigins: [...cors.allowOrigins],
  allowMethods: cors.allowMethods.map((method) => CorsHttpMethod[method]),
  allowHeaders: [...cors.allowHeaders],
  exposeHeaders: [...cors.exposeHeaders],
  maxAge: cors.maxAge,
  allowCredentials: cors.allowCredentials,
});

/** One JSON object per request; no headers, bodies or claims other than the caller's `sub`. */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    sub: '$context.authorizer.claims.sub',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
  }),
);

export class RelayHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpUserPoolAuthorizer;
  readonly publicRoute: HttpNoneAuthorizer;
  readonly accessLogs: LogGroup;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const { stage: config } = props;

    this.api = new HttpApi(this, 'Api', {
      apiName: `relay-${config.stage}`,
      description: `Relay CRM API (${config.stage})`,
      createDefaultStage: false,
      corsPreflight: corsPreflightOf(config.api.cors),
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { ...config.api.throttle },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat,
      },
    });

    this.authorizer = new HttpUserPoolAuthorizer('Jwt', props.userPool, {
      authorizerName: `relay-${config.stage}-jwt`,
      userPoolClients: props.userPoolClients,
      identitySource: ['$request.header.Authorization'],
    });
    this.publicRoute = new HttpNoneAuthorizer();

    const { alarms } = config;
    this.alarms.push(
      new Alarm(this, 'Api5xxAlarm', {
        alarmDescription: `Relay ${config.stage} API: 5xx responses`,
        metric: this.api.metricServerError({ period: alarms.period, statistic: Stats.SUM }),
        threshold: alarms.api5xxThreshold,
        evaluationPeriods: alarms.evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Invoke URL of the API's `$default` stage. */
  get url(): string {
    return this.stage.url;
  }
}
