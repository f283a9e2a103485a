/**
 * The HTTP API, built from the route manifest (`shared/routes.ts`): one `RelayFunction` per area,
 * every route of the area integrated with it, the JWT authorizer (Cognito user pool) with the
 * route's scope on every non-public route. Owns the cursor-signing secret its functions share, the
 * access log, default throttling, CORS, and the API's alarms.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';
import { fullScope } from '#shared/auth/roles';
import { type Area, areaEntry, areas, routes } from '#shared/routes';
import { RelayFunction, type TableAccess } from './relay-function.ts';
import type { Workflows } from './workflows.ts';

export interface HttpApiProps {
  readonly stage: StageConfig;
  readonly table: ITable;
  readonly userPool: IUserPool;
  /** App clients whose access tokens the authorizer accepts (checked against `client_id`). */
  readonly userPoolClients: IUserPoolClient[];
  /** Area functions that start a workflow (`workflowStarters`) get its ARN and permission. */
  readonly workflows: Workflows;
}

/**
 * Table access per area. `none`: the function gets `TABLE_NAME` (its config is read at cold start)
 * but no permission — the system area serves health, OpenAPI and docs without touching data.
 */
export const tableAccess: Record<Area, TableAccess | 'none'> = {
  customers: 'readWrite',
  companies: 'readWrite',
  webhooks: 'readWrite',
  audit: 'read',
  system: 'none',
};

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
  readonly functions: Record<Area, RelayFunction>;
  readonly cursorSecret: Secret;
  readonly accessLogs: LogGroup;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const { stage: config, table } = props;

    this.cursorSecret = new Secret(this, 'CursorSecret', {
      description: `HMAC key that signs pagination cursors of the Relay ${config.stage} API`,
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Pagination-cursor HMAC key, resolved into function configuration at deploy time: a rotation Lambda could not reach running functions, so it is rotated by replacing the secret and redeploying; the only effect is that outstanding list cursors stop validating.',
    });

    this.api = new HttpApi(this, 'Api', {
      apiName: `relay-${config.stage}`,
      description: `Relay CRM API (${config.stage})`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...config.api.corsOrigins],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.PATCH,
          CorsHttpMethod.DELETE,
          CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-correlation-id'],
        exposeHeaders: ['etag', 'location', 'x-correlation-id'],
        maxAge: Duration.hours(1),
      },
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

    const authorizer = new HttpUserPoolAuthorizer('Jwt', props.userPool, {
      authorizerName: `relay-${config.stage}-jwt`,
      userPoolClients: props.userPoolClients,
      identitySource: ['$request.header.Authorization'],
    });
    const publicRoute = new HttpNoneAuthorizer();

    const cursorSecret = this.cursorSecret.secretValue.unsafeUnwrap();
    const functions = {} as Record<Area, RelayFunction>;
    for (const area of areas) {
      const fn = new RelayFunction(this, `Area-${area}`, {
        entry: areaEntry(area),
        stage: config,
        description: `Relay ${config.stage} HTTP API: ${area} routes`,
        environment: { CURSOR_SECRET: cursorSecret },
      });
      const access = tableAccess[area];
      if (access === 'none') fn.fn.addEnvironment('TABLE_NAME', table.tableName);
      else fn.bindTable(table, access);
      props.workflows.bindStarter(fn);
      functions[area] = fn;
    }
    this.functions = functions;

    const integrations = Object.fromEntries(
      areas.map((area) => [
        area,
        new HttpLambdaIntegration(`Integration-${area}`, functions[area].fn, {
          scopePermissionToRoute: false,
        }),
      ]),
    ) as Record<Area, HttpLambdaIntegration>;

    for (const route of routes) {
      const httpRoute = new HttpRoute(this, `Route-${route.id}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[route.area],
        ...(route.scope === null
          ? { authorizer: publicRoute }
          : { authorizer, authorizationScopes: [fullScope(route.scope)] }),
      });
      if (route.scope === null) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (scope null in shared/routes.ts): ${route.summary}. It serves no customer data; test/infra pins the list of public routes.`,
        });
      }
    }

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
      ...areas.flatMap((area) => functions[area].alarms),
    );
  }

  /** Invoke URL of the API's `$default` stage. */
  get url(): string {
    return this.stage.url;
  }
}
