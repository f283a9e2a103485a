/**
 * The CDK side of one capability (`shared/capabilities/<name>/index.ts`): its area function, the
 * integration of its routes on the shared HTTP API (authorizer scope per route, public routes
 * acknowledged), its grants (table access and configuration from the descriptor, workflow
 * starts), and its alarms. The cdk-nag acknowledgements it carries are declared here too
 * (`expectedAcknowledgements`), and the infra test collects them from the capability index.
 *
 * Mounted on the API construct as `Area-<name>` with the function as its `Default` child, and its
 * routes created as `Route-<id>` children of the API construct, so every logical ID (function,
 * role, log group, alarms, routes, integrations, permissions) is the one the API construct gave it
 * before capabilities existed (docs/adr/0012-capability-modules.md).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';
import type { DataKeys } from '#infra/stacks/data-stack';
import { fullScope } from '#shared/auth/roles';
import type { Capability } from '#shared/capabilities/capability';
import type { CapabilityName } from '#shared/capabilities/index';
import type { RelayHttpApi } from '../http-api.ts';
import { RelayFunction, type RelayFunctionProps } from '../relay-function.ts';
import type { Workflows } from '../workflows.ts';

export interface CapabilityProps {
  readonly stage: StageConfig;
  readonly table: ITable;
  readonly httpApi: RelayHttpApi;
  readonly workflows: Workflows;
  /** The data stack's KMS keys; a capability construct grants the use it needs. */
  readonly keys: DataKeys;
}

export class CapabilityConstruct extends Construct {
  readonly capability: Capability;
  readonly function: RelayFunction;
  readonly routes: HttpRoute[] = [];
  readonly alarms: Alarm[] = [];

  /**
   * The acknowledgements (`<construct path> <rule id>`) this capability's constructs carry in an
   * app stack, e.g. `Relay-dev-App`. Subclasses add their own next to what needs them.
   */
  static expectedAcknowledgements(capability: Capability, app: string): string[] {
    const path = `${app}/HttpApi/Area-${capability.name}`;
    return [
      `${path}/Default/Role AwsSolutions-IAM5[Resource::*]`,
      ...(capability.tableAccess === 'none'
        ? []
        : [`${path}/Default/Role AwsSolutions-IAM5[Resource::<table-arn-export>/index/*]`]),
      // Public routes: each one is acknowledged where it is integrated.
      ...capability.routes
        .filter((route) => route.scope === null)
        .map((route) => `${app}/HttpApi/Route-${route.id} AwsSolutions-APIG4`),
    ];
  }

  /** `functionProps`: what a capability adds to its area function (e.g. runtime `assets`). */
  constructor(
    scope: RelayHttpApi,
    capability: Capability,
    props: Omit<CapabilityProps, 'httpApi'>,
    functionProps: Pick<RelayFunctionProps, 'assets'> = {},
  ) {
    super(scope, `Area-${capability.name}`);
    this.capability = capability;
    const { stage, table } = props;

    // `Default`: the function keeps the logical IDs it had as `HttpApi/Area-<name>`. Its
    // environment is the capability's `config` (infra/config/functions.ts); here only grants.
    this.function = new RelayFunction(this, 'Default', {
      definition: { kind: 'area', area: capability.name as CapabilityName },
      stage,
      description: `Relay ${stage.stage} HTTP API: ${capability.name} routes`,
      refs: {
        tableName: table.tableName,
        cursorKeysSecretArn: props.keys.cursorKeys.secretArn,
        webhookSecretKeyArn: props.keys.webhookSecrets.keyArn,
        stateMachineArn: (workflow) => props.workflows.workflow(workflow).stateMachine.stateMachineArn,
      },
      ...functionProps,
    });
    if (capability.config.includes('cursorKeysSecretId')) this.grantCursorKeys(props.keys);
    if (capability.tableAccess !== 'none') this.function.bindTable(table, capability.tableAccess);
    for (const workflow of capability.workflowStarters) {
      props.workflows.workflow(workflow).stateMachine.grantStartExecution(this.function.fn);
    }
    // Starters listed by entry in infra/config/workflows.ts (none of the areas today).
    props.workflows.bindStarter(this.function);

    const integration = new HttpLambdaIntegration(`Integration-${capability.name}`, this.function.fn, {
      scopePermissionToRoute: false,
    });
    for (const route of capability.routes) {
      // Scoped to the API construct (path `HttpApi/Route-<id>`, as before capabilities): a new
      // logical ID would make CloudFormation create a second route with the same key before
      // deleting the old one, which API Gateway rejects.
      const httpRoute = new HttpRoute(scope, `Route-${route.id}`, {
        httpApi: scope.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
        ...(route.scope === null
          ? { authorizer: scope.publicRoute }
          : { authorizer: scope.authorizer, authorizationScopes: [fullScope(route.scope)] }),
      });
      if (route.scope === null) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (scope null in shared/capabilities/${capability.name}/routes.ts): ${route.summary}. It serves no customer data; test/infra pins the list of public routes.`,
        });
      }
      this.routes.push(httpRoute);
    }
    this.alarms.push(...this.function.alarms);
  }

  /**
   * Read-only use of the cursor key ring: `GetSecretValue`/`DescribeSecret` on the secret, and
   * `kms:Decrypt` on its key only through Secrets Manager. `grantRead` routes the Decrypt through
   * a via-service principal, which the (imported, cross-stack) key reference drops, so that
   * statement is added to the role here.
   */
  private grantCursorKeys(keys: DataKeys): void {
    const ring = keys.cursorKeys;
    if (!ring.encryptionKey) throw new Error('The cursor key ring reference has no encryption key');
    ring.grantRead(this.function.fn);
    this.function.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [ring.encryptionKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
  }
}
