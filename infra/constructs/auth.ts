/**
 * Authentication: the Cognito user pool of a stage. Roles are groups; the resource server `relay`
 * declares every scope of `shared/auth/roles.ts`; a pre-token-generation V2 trigger writes the
 * scopes of the user's groups into the access token (see docs/adr/0003-auth-cognito-scopes.md).
 *
 * The web client is allowed only the OpenID scopes: `relay/…` scopes reach a token solely through
 * the trigger, so a user cannot obtain a scope by asking for it in an authorize request.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolOperation,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';
import { RESOURCE_SERVER, roleScopes, roles, scopes } from '#shared/auth/roles';
import { RelayFunction } from './relay-function.ts';

export interface AuthProps {
  readonly stage: StageConfig;
}

export class Auth extends Construct {
  readonly userPool: UserPool;
  /** The browser app's client (public: no secret, authorization code with PKCE or SRP). */
  readonly webClient: UserPoolClient;
  readonly resourceServer: UserPoolResourceServer;
  readonly preTokenGeneration: RelayFunction;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    const { stage } = props;
    const plus = stage.auth.featurePlan === 'PLUS';

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `relay-${stage.stage}`,
      // Staff accounts are created by admins; nobody signs themselves up to a CRM.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: stage.auth.mfa === 'REQUIRED' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      // TOTP only: SMS would need an SNS role and leaks codes to SIM-swap attacks.
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: stage.deletionProtection,
      removalPolicy: stage.removalPolicy,
    });

    for (const role of roles) {
      this.userPool.addGroup(`Group-${role}`, {
        groupName: role,
        description: `Relay role "${role}": ${roleScopes[role].join(', ')}`,
      });
    }

    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: 'Relay API',
      scopes: scopes.map(
        (name) => new ResourceServerScope({ scopeName: name, scopeDescription: `Relay ${name}` }),
      ),
    });

    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [...stage.auth.callbackUrls],
        logoutUrls: [...stage.auth.logoutUrls],
      },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    // 256 MB, 5 s: infra/config/functions.ts.
    this.preTokenGeneration = new RelayFunction(this, 'PreTokenGeneration', {
      definition: { kind: 'pre-token-generation' },
      stage,
      description: 'Cognito pre-token generation (V2): adds the scopes of the user groups to access tokens',
      refs: {},
    });
    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      this.preTokenGeneration.fn,
      LambdaVersion.V2_0,
    );

    if (stage.auth.mfa !== 'REQUIRED') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason: `MFA (TOTP) is optional in ${stage.stage}: the pool holds only admin-created test accounts (self sign-up is off) used by automated sign-ins; prod requires MFA (infra/config/stages.ts).`,
      });
    }
    if (!plus) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: `The ${stage.stage} pool holds only admin-created test accounts, so it runs on the Essentials plan (enough for access-token scope customisation); prod runs on Plus with threat protection enforced.`,
      });
    }
  }
}
