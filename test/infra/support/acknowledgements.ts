/** cdk-nag acknowledgements: those recorded in an app, and those a stage is expected to carry. */
import { basename } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { rules } from '#events/rules';
import type { StageName } from '#infra/config/stages';
import {
  placeholdersOf,
  readWorkflowDefinition,
  resolvePlaceholder,
  workflowNames,
} from '#infra/config/workflows';
import { capabilityConstructs } from '#infra/constructs/capabilities/index';

export interface Acknowledgement {
  /** Construct path the acknowledgement is attached to. */
  path: string;
  /** Rule id, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  id: string;
  reason: string;
}

/** Every acknowledgement recorded with `Validations.of(x).acknowledge()` in an app. */
export const acknowledgements = (app: App): Acknowledgement[] =>
  app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

/**
 * The acknowledgements a stage's app must carry, pinned as `<construct path> <rule id>`: adding one
 * (a new wildcard, a new public route, a new kind of queue) means updating this list in review.
 * Function-specific entries are derived from the manifests that create those functions.
 */
export const expectedAcknowledgements = (stage: StageName): string[] => {
  const app = `Relay-${stage}-App`;
  const functionRole = (path: string, table: boolean) => [
    `${path}/Role AwsSolutions-IAM5[Resource::*]`,
    ...(table ? [`${path}/Role AwsSolutions-IAM5[Resource::<table-arn-export>/index/*]`] : []),
  ];
  const consumers = [
    ...new Set(rules.flatMap((r) => (r.target.kind === 'lambda' ? [r.target.handler] : []))),
  ].map((handler) => `${app}/Events/Consumer-${basename(handler, '.ts')}`);
  const workflowTargets = rules.filter((r) => r.target.kind === 'stateMachine');
  const workflows = workflowNames().flatMap((name) => {
    const placeholders = placeholdersOf(readWorkflowDefinition(name)).map((p) => resolvePlaceholder(name, p));
    const path = `${app}/Workflows/Workflow-${name}`;
    return [
      `${path}/StateMachine/Role AwsSolutions-IAM5[Resource::*]`,
      ...(placeholders.some((p) => p.kind === 'tableName')
        ? [`${path}/StateMachine/Role AwsSolutions-IAM5[Resource::<table-arn-export>/index/*]`]
        : []),
      ...placeholders.flatMap((p) =>
        p.kind === 'function' ? functionRole(`${path}/Task-${p.name.replace(/FunctionArn$/, '')}`, true) : [],
      ),
    ];
  });

  return [
    ...(stage === 'prod'
      ? []
      : [`${app}/Auth/UserPool AwsSolutions-COG2`, `${app}/Auth/UserPool AwsSolutions-COG8`]),
    ...functionRole(`${app}/Auth/PreTokenGeneration`, false),
    // The cursor key ring is rotated by an operator (docs/adr/0015-cursor-keys.md).
    `Relay-${stage}-Data/CursorKeys AwsSolutions-SMG4`,
    // Each capability construct declares what it carries (its function role, its public routes).
    ...capabilityConstructs.flatMap((capability) => capability.acknowledgements(app)),
    // The stream publisher: ListStreams on "*" (with X-Ray), and its ESM on-failure queue.
    ...functionRole(`${app}/Events/StreamPublisher`, false),
    `${app}/Events/PublisherDeadLetters/Queue AwsSolutions-SQS3`,
    ...consumers.flatMap((path) => functionRole(path, true)),
    ...workflowTargets.map((r) => `${app}/Events/Rule-${r.name}-DeadLetters/Queue AwsSolutions-SQS3`),
    ...workflows,
    // The hourly recycle bin sweep (infra/constructs/recycle-bin.ts).
    ...functionRole(`${app}/RecycleBin/Sweeper`, true),
  ];
};
