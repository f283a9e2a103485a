/** CDK construct of the templates capability: email templates, each version copied to an SES v2 template. */
import { Arn, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { templates } from '#shared/capabilities/templates/index';
import type { RelayHttpApi } from '../http-api.ts';
import { CapabilityConstruct, type CapabilityProps } from './capability.ts';

/** The SES template names of one stage: `relay-<stage>-<templateId>-v<n>` (shared/domain/templates/service.ts). */
const templateNamePattern = (stage: string): string => `relay-${stage}-*`;

/** The IAM5 finding of the SES template grant, as cdk-nag names it. */
const sesTemplateFinding = (stage: string): string =>
  `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:template/${templateNamePattern(stage)}]`;

export class TemplatesCapability extends CapabilityConstruct {
  static readonly capability = templates;

  static acknowledgements(app: string): string[] {
    const stage = /^Relay-(.+)-App$/.exec(app)?.[1] ?? app;
    return [
      ...CapabilityConstruct.expectedAcknowledgements(templates, app),
      `${app}/HttpApi/Area-templates/Default/Role ${sesTemplateFinding(stage)}`,
    ];
  }

  constructor(scope: RelayHttpApi, props: Omit<CapabilityProps, 'httpApi'>) {
    super(scope, templates, props);
    // Create and delete the stage's own SES templates only (no sending, no other stage's names).
    const stage = props.stage.stage;
    this.function.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:CreateEmailTemplate', 'ses:DeleteEmailTemplate'],
        resources: [
          Arn.format(
            { service: 'ses', resource: 'template', resourceName: templateNamePattern(stage) },
            Stack.of(this),
          ),
        ],
      }),
    );
    Validations.of(this.function.role).acknowledge({
      id: sesTemplateFinding(stage),
      reason:
        'SES template names are relay-<stage>-<templateId>-v<n>, one per template version; the wildcard is this stage’s name prefix, and only CreateEmailTemplate/DeleteEmailTemplate are granted.',
    });
  }
}
