/**
 * The synthesized stacks of every stage: table derived from `tableDefinition`, stage-driven
 * removal, routes from the manifest with their authorizer scopes, function defaults, auth, and zero
 * unacknowledged cdk-nag findings. Each stage is built and synthesized once (beforeAll); only dev
 * bundles its functions with esbuild, the other stages skip bundling to keep the suite fast.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app';
import { stageConfig, stageNames } from '#infra/config/stages';
import { RelayFunction } from '#infra/constructs/relay-function';
import { fullScope, RESOURCE_SERVER, roles, scopes } from '#shared/auth/roles';
import { capabilityByName } from '#shared/capabilities/index';
import { docsAssets } from '#shared/capabilities/system/docs-assets';
import { configKeys, envNameOf } from '#shared/config';
import { tableDefinition, tableNameFor } from '#shared/db/table';
import { areaEntry, areas, routeKey, routes } from '#shared/routes';
import { acknowledgements, expectedAcknowledgements } from './support/acknowledgements.ts';
import { stageLiterals } from './support/stage-literals.ts';
import { logicalId, type Resources, type Synthesized, synthesize } from './support/synth.ts';

describe.each(stageNames)('stage %s', (stage) => {
  const config = stageConfig(stage);
  const literal = stageLiterals[stage];
  let s: Synthesized;

  beforeAll(() => {
    // Only dev bundles its functions with esbuild.
    s = synthesize(stage, { bundle: stage === 'dev' });
  });

  /** Every RelayFunction of the app stack (HTTP areas, auth trigger, event backbone, workflows). */
  const relayFunctions = () =>
    s.relay.appStack.node.findAll().filter((c): c is RelayFunction => c instanceof RelayFunction);

  describe('cdk-nag (AwsSolutions)', () => {
    it('synthesizes without validation errors', () => {
      // Prepare: synthesized in beforeAll

      // Act
      const error = s.synthError;

      // Assess
      expect(error).toBeUndefined();
    });

    it('reports no unacknowledged findings', () => {
      // Prepare
      const checks = new AwsSolutionsChecks();

      // Act
      const report = checks.validateScope(s.relay.app);

      // Assess
      const findings = report.violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`),
      );
      expect(findings).toEqual([]);
    });

    it('gives every acknowledgement a specific, non-trivial reason', () => {
      // Prepare
      const acks = acknowledgements(s.relay.app);

      // Act
      const weak = acks.filter(
        (a) =>
          a.reason.length < 60 ||
          /\b(demo|todo|fixme|n\/a|not needed|ignore|false positive)\b/i.test(a.reason),
      );

      // Assess
      expect(acks.length).toBeGreaterThan(0);
      expect(weak).toEqual([]);
    });

    it('acknowledges exactly the expected rules on the expected constructs', () => {
      // Prepare
      const tableId = logicalId(s.relay.data, s.relay.data.table.node.defaultChild);
      // The export CDK creates for the table ARN: `<stack>:ExportsOutputFnGetAtt<id>Arn<hash>`.
      const tableArnExport = new RegExp(`Relay-${stage}-Data:ExportsOutputFnGetAtt${tableId}Arn[0-9A-F]{8}`);
      const expected = expectedAcknowledgements(stage);

      // Act
      const actual = acknowledgements(s.relay.app).map((a) =>
        `${a.path} ${a.id}`.replace(tableArnExport, '<table-arn-export>'),
      );

      // Assess
      expect(actual.sort()).toEqual(expected.sort());
    });
  });

  describe('data stack', () => {
    it('names the table relay-<stage> and bills on demand', () => {
      // Prepare / Act
      const props = { TableName: tableNameFor(stage), BillingMode: 'PAY_PER_REQUEST' };

      // Assess
      s.data.resourceCountIs('AWS::DynamoDB::Table', 1);
      s.data.hasResourceProperties('AWS::DynamoDB::Table', props);
    });

    it('derives the key schema and GSIs from tableDefinition', () => {
      // Prepare
      const keys = (pk: string, sk: string) => [
        { AttributeName: pk, KeyType: 'HASH' },
        { AttributeName: sk, KeyType: 'RANGE' },
      ];
      const attributeNames = [
        tableDefinition.partitionKey,
        tableDefinition.sortKey,
        ...tableDefinition.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
      ];

      // Act
      const table = Object.values(s.data.findResources('AWS::DynamoDB::Table') as Resources)[0]?.Properties;

      // Assess
      expect(table?.KeySchema).toEqual(keys(tableDefinition.partitionKey, tableDefinition.sortKey));
      expect(table?.GlobalSecondaryIndexes).toEqual(
        tableDefinition.globalSecondaryIndexes.map((i) => ({
          IndexName: i.indexName,
          KeySchema: keys(i.partitionKey, i.sortKey),
          Projection: { ProjectionType: 'ALL' },
        })),
      );
      expect(table?.AttributeDefinitions).toEqual(
        attributeNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      );
    });

    it('streams NEW_AND_OLD_IMAGES, keeps point-in-time recovery and expires items by the TTL attribute', () => {
      // Prepare / Act
      const props = {
        StreamSpecification: { StreamViewType: tableDefinition.streamViewType },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
      };

      // Assess
      expect(tableDefinition.streamViewType).toBe('NEW_AND_OLD_IMAGES');
      s.data.hasResourceProperties('AWS::DynamoDB::Table', props);
    });

    it(
      stage === 'prod'
        ? 'retains the table and protects it from deletion'
        : 'deletes the table with the stack',
      () => {
        // Prepare
        const policy = stage === 'prod' ? 'Retain' : 'Delete';

        // Act / Assess
        s.data.hasResource('AWS::DynamoDB::Table', {
          DeletionPolicy: policy,
          UpdateReplacePolicy: policy,
          Properties: Match.objectLike({ DeletionProtectionEnabled: stage === 'prod' }),
        });
      },
    );
  });

  describe('webhook secrets key', () => {
    /** KMS actions on the webhook secrets key, per IAM role logical id of the app stack. */
    const kmsActionsByRole = (): Record<string, string[]> => {
      const policies = s.app.findResources('AWS::IAM::Policy') as Resources;
      const out: Record<string, string[]> = {};
      for (const policy of Object.values(policies)) {
        const statements = (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> })
          .Statement;
        const actions = statements
          .filter((statement) => JSON.stringify(statement.Resource).includes('WebhookSecretsKey'))
          .flatMap((statement) => [statement.Action].flat() as string[]);
        if (actions.length === 0) continue;
        for (const role of policy.Properties.Roles as Array<{ Ref: string }>) {
          out[role.Ref] = [...(out[role.Ref] ?? []), ...actions].sort();
        }
      }
      return out;
    };

    it("is a customer managed key with yearly rotation and the table's removal policy", () => {
      // Prepare
      const policy = stage === 'prod' ? 'Retain' : 'Delete';

      // Act / Assess
      // Two keys: this one and the cursor key ring's (see the cursor key tests).
      s.data.resourceCountIs('AWS::KMS::Key', 2);
      s.data.hasResource('AWS::KMS::Key', {
        DeletionPolicy: policy,
        UpdateReplacePolicy: policy,
        Properties: Match.objectLike({ EnableKeyRotation: true, PendingWindowInDays: 30 }),
      });
      s.data.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/relay-${stage}/webhook-secrets` });
    });

    it('lets the webhooks area only seal and the Deliver task only open, and no other function touch it', () => {
      // Prepare
      const stack = s.relay.appStack;
      const roleOf = (fn: RelayFunction) => logicalId(stack, fn.role.node.defaultChild);
      const area = roleOf(stack.capabilities.webhooks.function);
      const deliver = stack.workflows.workflow('webhook-delivery').tasks.DeliverWebhookFunctionArn;
      if (!deliver) throw new Error('no Deliver task');

      // Act
      const actions = kmsActionsByRole();

      // Assess
      expect(actions).toEqual({ [area]: ['kms:GenerateDataKey'], [roleOf(deliver)]: ['kms:Decrypt'] });
      for (const fn of [stack.capabilities.webhooks.function, deliver]) {
        const variables = (
          s.app.toJSON().Resources[logicalId(stack, fn.fn.node.defaultChild)].Properties.Environment as {
            Variables: Record<string, unknown>;
          }
        ).Variables;
        expect(JSON.stringify(variables.WEBHOOK_SECRET_KEY_ID)).toContain('WebhookSecretsKey');
      }
    });
  });

  describe('HTTP API', () => {
    it('has exactly the routes of the manifest', () => {
      // Prepare
      const expected = routes.map(routeKey).sort();

      // Act
      const actual = Object.values(s.app.findResources('AWS::ApiGatewayV2::Route') as Resources)
        .map((r) => r.Properties.RouteKey as string)
        .sort();

      // Assess
      expect(actual).toEqual(expected);
    });

    it.each(routes.map((r) => [routeKey(r), r] as const))(
      'authorizes %s as the manifest says',
      (_key, route) => {
        // Prepare
        const expected =
          route.scope === null
            ? { RouteKey: routeKey(route), AuthorizationType: 'NONE', AuthorizationScopes: Match.absent() }
            : {
                RouteKey: routeKey(route),
                AuthorizationType: 'JWT',
                AuthorizerId: Match.anyValue(),
                AuthorizationScopes: [fullScope(route.scope)],
              };

        // Act / Assess
        s.app.hasResourceProperties('AWS::ApiGatewayV2::Route', expected);
      },
    );

    it('integrates every route with the function of its area', () => {
      // Prepare
      const stack = s.relay.appStack;
      const integrations = s.app.findResources('AWS::ApiGatewayV2::Integration') as Resources;
      const integrationOfArea = Object.fromEntries(
        areas.map((area) => {
          const fnId = logicalId(stack, stack.capabilities[area].function.fn.node.defaultChild);
          const found = Object.entries(integrations).find(
            ([, r]) =>
              JSON.stringify(r.Properties.IntegrationUri) === JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] }),
          );
          return [area, found?.[0]];
        }),
      );

      // Act
      const routeResources = Object.values(s.app.findResources('AWS::ApiGatewayV2::Route') as Resources);

      // Assess
      for (const route of routes) {
        const resource = routeResources.find((r) => r.Properties.RouteKey === routeKey(route));
        expect(resource?.Properties.Target, routeKey(route)).toEqual({
          'Fn::Join': ['', ['integrations/', { Ref: integrationOfArea[route.area] }]],
        });
      }
      expect(Object.keys(integrations)).toHaveLength(areas.length);
    });

    it('bundles each area function from its manifest entry', () => {
      // Prepare
      const { capabilities } = s.relay.appStack;

      // Act
      const entries = areas.map((area) => capabilities[area].function.entry);

      // Assess
      expect(entries).toEqual(areas.map(areaEntry));
    });

    /** An area function's staged (bundled) code asset directory. */
    const stagedDir = (area: (typeof areas)[number]): string => {
      const code = s.relay.appStack.capabilities[area].function.fn.node.findChild('Code') as Asset;
      return join(s.relay.app.outdir, code.assetPath);
    };
    const stagedFiles = (area: (typeof areas)[number]): string[] => readdirSync(stagedDir(area));

    it.runIf(stage === 'dev')('ships the docs page files next to the system bundle, not bundled', () => {
      // Act
      const staged = stagedFiles('system');

      // Assess
      expect(staged).toEqual(expect.arrayContaining(['index.mjs', ...Object.keys(docsAssets)]));
      const bundle = readFileSync(join(stagedDir('system'), 'index.mjs'), 'utf8');
      expect(bundle).not.toContain('SwaggerUIBundle');
    });

    it.runIf(stage === 'dev')('copies the docs page files into the system function only', () => {
      // Act
      const withDocs = areas.filter((area) => stagedFiles(area).includes('swagger-ui-bundle.js'));

      // Assess
      expect(withDocs).toEqual(['system']);
    });

    it('checks tokens with a JWT authorizer on the Cognito user pool and the web client', () => {
      // Prepare
      const stack = s.relay.appStack;
      const poolId = logicalId(stack, stack.auth.userPool.node.defaultChild);
      const clientId = logicalId(stack, stack.auth.webClient.node.defaultChild);

      // Act / Assess
      s.app.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
      s.app.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: clientId }],
          Issuer: {
            'Fn::Join': [
              '',
              ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }],
            ],
          },
        },
      });
    });

    it('throttles by default, logs access as JSON and answers CORS exactly as the stage config says', () => {
      // Prepare
      const { throttle } = literal;
      // CORS is the stage's one setting that the local gateway applies too (infra/local/cors.ts).
      const { cors } = config.api;

      // Act / Assess
      s.app.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: throttle.rateLimit,
          ThrottlingBurstLimit: throttle.burstLimit,
        },
        AccessLogSettings: {
          DestinationArn: Match.anyValue(),
          Format: Match.serializedJson(
            Match.objectLike({ requestId: '$context.requestId', status: '$context.status' }),
          ),
        },
      });
      s.app.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        // The whole configuration, so the local gateway (which applies config.api.cors) answers
        // the same preflights and adds the same headers.
        CorsConfiguration: {
          AllowOrigins: [...cors.allowOrigins],
          AllowMethods: [...cors.allowMethods],
          AllowHeaders: [...cors.allowHeaders],
          ExposeHeaders: [...cors.exposeHeaders],
          MaxAge: cors.maxAge.toSeconds(),
          AllowCredentials: cors.allowCredentials,
        },
      });
    });

    it('alarms on API 5xx responses and on errors and throttles of every function', () => {
      // Prepare
      const alarms = Object.values(s.app.findResources('AWS::CloudWatch::Alarm') as Resources).map(
        (a) => a.Properties,
      );

      // Act
      const byMetric = (namespace: string, name: string) =>
        alarms.filter((a) => a.Namespace === namespace && a.MetricName === name);

      // Assess
      expect(byMetric('AWS/ApiGateway', '5xx')).toHaveLength(1);
      expect(byMetric('AWS/ApiGateway', '5xx')[0]?.Threshold).toBe(literal.api5xxThreshold);
      const functionCount = relayFunctions().length;
      expect(byMetric('AWS/Lambda', 'Errors')).toHaveLength(functionCount);
      expect(byMetric('AWS/Lambda', 'Throttles')).toHaveLength(functionCount);
    });
  });

  describe('functions', () => {
    it('run Node.js 24 on arm64 with active tracing', () => {
      // Prepare
      const functions = Object.values(s.app.findResources('AWS::Lambda::Function') as Resources);

      // Act
      const shapes = functions.map((f) => ({
        runtime: f.Properties.Runtime,
        architectures: f.Properties.Architectures,
        tracing: f.Properties.TracingConfig,
      }));

      // Assess
      expect(functions).toHaveLength(relayFunctions().length);
      for (const shape of shapes) {
        expect(shape).toEqual({
          runtime: 'nodejs24.x',
          architectures: ['arm64'],
          tracing: { Mode: 'Active' },
        });
      }
    });

    it('log as JSON to their own log group kept for the stage retention', () => {
      // Prepare
      const logGroups = s.app.findResources('AWS::Logs::LogGroup') as Resources;
      const functions = Object.values(s.app.findResources('AWS::Lambda::Function') as Resources);

      // Act
      const retentions = functions.map((f) => {
        const config = f.Properties.LoggingConfig as { LogGroup: { Ref: string }; LogFormat: string };
        return { format: config.LogFormat, days: logGroups[config.LogGroup.Ref]?.Properties.RetentionInDays };
      });

      // Assess
      for (const retention of retentions) {
        expect(retention).toEqual({ format: 'JSON', days: literal.logRetentionDays });
      }
    });

    it('read the stage, log level and Powertools settings from the environment', () => {
      // Prepare
      const expected = {
        STAGE: stage,
        POWERTOOLS_SERVICE_NAME: 'relay',
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
      };

      // Act
      const functions = Object.values(s.app.findResources('AWS::Lambda::Function') as Resources);

      // Assess
      for (const fn of functions) {
        expect((fn.Properties.Environment as { Variables: object }).Variables).toMatchObject(expected);
      }
    });

    it('give each HTTP area function the configuration its capability declares, the cursor key secret by ARN only', () => {
      // Prepare
      const stack = s.relay.appStack;
      const configVariables = configKeys.map(envNameOf);

      // Act / Assess
      for (const area of areas) {
        const capability = capabilityByName(area);
        const fnId = logicalId(stack, stack.capabilities[area].function.fn.node.defaultChild);
        const variables = (
          s.app.toJSON().Resources[fnId].Properties.Environment as { Variables: Record<string, unknown> }
        ).Variables;
        const expected = capability.config.map(envNameOf).sort();
        expect(
          Object.keys(variables)
            .filter((name) => configVariables.includes(name))
            .sort(),
          area,
        ).toEqual(expected);
        if (capability.config.includes('cursorKeysSecretId')) {
          // A cross-stack reference to the data stack's secret ARN, not its value.
          expect(JSON.stringify(variables.CURSOR_KEYS_SECRET_ID), area).toMatch(
            /"Fn::ImportValue":"Relay-[a-z]+-Data:ExportsOutputRefCursorKeys/,
          );
        }
      }
      expect(capabilityByName('system').config).not.toContain('cursorKeysSecretId');
    });

    it('put no cursor key value in any function environment or template', () => {
      // Act
      const functions = Object.values(s.app.findResources('AWS::Lambda::Function') as Resources);
      const templates = JSON.stringify([s.app.toJSON(), s.data.toJSON()]);

      // Assess
      for (const fn of functions) {
        const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(variables).not.toHaveProperty('CURSOR_SECRET');
        expect(JSON.stringify(variables)).not.toContain('{{resolve:secretsmanager');
      }
      expect(templates).not.toContain('{{resolve:secretsmanager');
      s.app.resourceCountIs('AWS::SecretsManager::Secret', 0);
    });

    it('keep the cursor key ring in the data stack: generated JSON ring, own KMS key, table removal policy', () => {
      // Prepare
      const data = s.relay.data;
      const keyId = logicalId(data, data.node.findChild('CursorKeysKey').node.defaultChild);
      const policy = stage === 'prod' ? 'Retain' : 'Delete';

      // Act / Assess
      s.data.resourceCountIs('AWS::SecretsManager::Secret', 1);
      s.data.hasResource('AWS::SecretsManager::Secret', {
        Properties: {
          Name: `relay-${stage}/cursor-keys`,
          KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
          GenerateSecretString: {
            SecretStringTemplate: '{"current":"k1"}',
            GenerateStringKey: 'k1',
            ExcludePunctuation: true,
            PasswordLength: 64,
          },
        },
        DeletionPolicy: policy,
        UpdateReplacePolicy: policy,
      });
      s.data.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true, PendingWindowInDays: 30 }),
        DeletionPolicy: policy,
        UpdateReplacePolicy: policy,
      });
      s.data.hasResourceProperties('AWS::KMS::Alias', {
        AliasName: `alias/relay-${stage}/cursor-keys`,
        TargetKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
    });

    it('grant read-only access to the cursor key ring (and Decrypt via Secrets Manager) to the listing areas and no other function', () => {
      // Prepare
      const stack = s.relay.appStack;
      const policies = Object.values(s.app.findResources('AWS::IAM::Policy') as Resources);
      const statementsOf = (roleId: string) =>
        policies
          .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
          .flatMap(
            (p) =>
              (
                p.Properties.PolicyDocument as {
                  Statement: Array<{ Action: string | string[]; Resource: unknown }>;
                }
              ).Statement,
          );
      const onSecret = (statement: { Resource: unknown }) =>
        JSON.stringify(statement.Resource).includes('ExportsOutputRefCursorKeys');
      const onKey = (statement: { Resource: unknown }) =>
        JSON.stringify(statement.Resource).includes('ExportsOutputFnGetAttCursorKeysKey');
      const listing = new Set(
        areas.filter((area) => capabilityByName(area).config.includes('cursorKeysSecretId')),
      );

      // Act
      const readers = relayFunctions().filter((fn) => {
        const roleId = logicalId(stack, fn.role.node.defaultChild);
        return statementsOf(roleId).some((statement) => onSecret(statement) || onKey(statement));
      });

      // Assess
      expect(listing.size).toBeGreaterThan(0);
      expect(readers.map((fn) => fn.node.path).sort()).toEqual(
        [...listing].map((area) => stack.capabilities[area].function.node.path).sort(),
      );
      for (const area of listing) {
        const roleId = logicalId(stack, stack.capabilities[area].function.role.node.defaultChild);
        const actions = statementsOf(roleId)
          .filter(onSecret)
          .flatMap((statement) => [statement.Action].flat());
        expect(actions.sort(), area).toEqual([
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
        ]);
        const decrypt = statementsOf(roleId).filter(onKey);
        expect(decrypt, area).toEqual([
          {
            Action: 'kms:Decrypt',
            Effect: 'Allow',
            Resource: {
              'Fn::ImportValue': expect.stringMatching(
                /^Relay-[a-z]+-Data:ExportsOutputFnGetAttCursorKeysKey/,
              ),
            },
            Condition: {
              StringEquals: {
                'kms:ViaService': {
                  'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
                },
              },
            },
          },
        ]);
      }
    });

    it('grant table access through grant* only to the areas that use the table', () => {
      // Prepare
      const stack = s.relay.appStack;
      const policies = s.app.findResources('AWS::IAM::Policy') as Resources;
      const usesDynamo = (area: (typeof areas)[number]) => {
        const roleId = logicalId(stack, stack.capabilities[area].function.role.node.defaultChild);
        const policy = Object.values(policies).find((p) =>
          JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`),
        );
        return JSON.stringify(policy?.Properties.PolicyDocument).includes('dynamodb:');
      };

      // Act
      const access = Object.fromEntries(areas.map((area) => [area, usesDynamo(area)]));

      // Assess
      expect(access).toEqual(
        Object.fromEntries(areas.map((area) => [area, capabilityByName(area).tableAccess !== 'none'])),
      );
      expect(access.system).toBe(false);
    });
  });

  describe('auth', () => {
    it('creates a user pool without self sign-up and with a strong password policy', () => {
      // Prepare / Act / Assess
      s.app.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        MfaConfiguration: literal.mfa,
        UserPoolTier: literal.userPoolTier,
      });
    });

    it('has a group per role', () => {
      // Prepare
      const groups = Object.values(s.app.findResources('AWS::Cognito::UserPoolGroup') as Resources);

      // Act
      const names = groups.map((g) => g.Properties.GroupName).sort();

      // Assess
      expect(names).toEqual([...roles].sort());
    });

    it('declares every scope on the relay resource server', () => {
      // Prepare
      const expected = scopes.map((name) => ({ ScopeName: name, ScopeDescription: Match.anyValue() }));

      // Act / Assess
      s.app.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
        Identifier: RESOURCE_SERVER,
        Scopes: expected,
      });
    });

    it('adds group scopes with a V2 pre-token-generation trigger', () => {
      // Prepare
      const stack = s.relay.appStack;
      const fnId = logicalId(stack, stack.auth.preTokenGeneration.fn.node.defaultChild);

      // Act / Assess
      s.app.hasResourceProperties('AWS::Cognito::UserPool', {
        LambdaConfig: {
          PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [fnId, 'Arn'] }, LambdaVersion: 'V2_0' },
        },
      });
      expect(stack.auth.preTokenGeneration.entry).toBe('functions/auth/pre-token-generation.ts');
    });

    it('lets the web client request no relay scope itself', () => {
      // Prepare
      const clients = Object.values(s.app.findResources('AWS::Cognito::UserPoolClient') as Resources);

      // Act
      const requestable = clients.flatMap(
        (c) => (c.Properties.AllowedOAuthScopes as string[] | undefined) ?? [],
      );

      // Assess
      expect(clients).toHaveLength(1);
      expect(clients[0]?.Properties.GenerateSecret).toBe(false);
      expect(requestable.filter((scope) => scope.startsWith(`${RESOURCE_SERVER}/`))).toEqual([]);
    });
  });
});

describe('stage config', () => {
  it('fails fast on an unknown stage', () => {
    // Prepare
    const build = () => buildApp('qa');

    // Act / Assess
    expect(build).toThrow(/Unknown stage "qa"/);
  });

  it('reads the stage from the CDK context when none is passed', () => {
    // Prepare
    const relay = buildApp(undefined, { context: { stage: 'staging', 'aws:cdk:bundling-stacks': [] } });

    // Act
    const names = [relay.data.stackName, relay.appStack.stackName];

    // Assess
    expect(names).toEqual(['Relay-staging-Data', 'Relay-staging-App']);
  });
});
