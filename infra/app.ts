/**
 * CDK entry: `cdk synth -c stage=dev|staging|prod` (default dev). Builds the stage's data and app
 * stacks and registers cdk-nag's AwsSolutions pack once, as a validation plugin on the whole app:
 * any unacknowledged finding fails synthesis.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type StageConfig, stageConfig } from '#infra/config/stages';
import { AppStack } from '#infra/stacks/app-stack';
import { DataStack } from '#infra/stacks/data-stack';

/**
 * Feature flags, set here rather than in cdk.json so that tests (which build the app without the
 * CLI) synthesize exactly what `cdk synth` does.
 */
const featureFlags = {
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
  '@aws-cdk/aws-apigateway:disableCloudWatchRole': true,
  // The app stack imports the table through a CloudFormation export: the data stack cannot be
  // deleted (or its table replaced) while the app stack uses it.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

export interface RelayApp {
  app: App;
  config: StageConfig;
  data: DataStack;
  appStack: AppStack;
}

/**
 * Builds the app for a stage: `stage` if given, else the `stage` context (`-c stage=…`), else dev.
 * Used by the CLI entry below and by tests (which pass `opts.context`, e.g. `bundlingStacks`).
 */
export const buildApp = (stage?: string, opts: AppProps = {}): RelayApp => {
  const app = new App({ ...opts, context: { ...featureFlags, ...opts.context } });
  const config = stageConfig(stage ?? (app.node.tryGetContext('stage') as string | undefined) ?? 'dev');
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

  const data = new DataStack(app, `Relay-${config.stage}-Data`, {
    config,
    env,
    description: `Relay ${config.stage}: stateful resources (table, webhook secrets key)`,
    terminationProtection: config.deletionProtection,
  });
  const appStack = new AppStack(app, `Relay-${config.stage}-App`, {
    config,
    table: data.table,
    keys: data.keys,
    env,
    description: `Relay ${config.stage}: API, auth and functions`,
    // The user pool (every staff account) lives here: prod cannot delete this stack by accident either.
    terminationProtection: config.deletionProtection,
  });

  Tags.of(app).add('app', 'relay');
  Tags.of(app).add('stage', config.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, config, data, appStack };
};

const isEntryPoint =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);

if (isEntryPoint) {
  buildApp().app.synth();
}
