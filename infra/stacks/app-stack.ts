/**
 * The stateless part of a stage: composes the capability constructs (auth, HTTP API, …) and wires
 * them to the data stack's resources. No resources are defined here directly.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';
import { Auth } from '#infra/constructs/auth';
import { RelayHttpApi } from '#infra/constructs/http-api';

export interface AppStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
}

export class AppStack extends Stack {
  readonly auth: Auth;
  readonly httpApi: RelayHttpApi;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, table } = props;

    this.auth = new Auth(this, 'Auth', { stage: config });
    this.httpApi = new RelayHttpApi(this, 'HttpApi', {
      stage: config,
      table,
      userPool: this.auth.userPool,
      userPoolClients: [this.auth.webClient],
    });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: this.auth.webClient.userPoolClientId });
  }
}
