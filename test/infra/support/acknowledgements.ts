/** Every cdk-nag acknowledgement recorded with `Validations.of(x).acknowledge()` in an app. */
import { type App, Validations } from 'aws-cdk-lib';

export interface Acknowledgement {
  /** Construct path the acknowledgement is attached to. */
  path: string;
  /** Rule id, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  id: string;
  reason: string;
}

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
