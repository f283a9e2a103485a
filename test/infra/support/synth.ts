/** Builds and synthesizes a stage's app once, for CDK assertions. */
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildApp, type RelayApp } from '#infra/app';
import type { StageName } from '#infra/config/stages';

export type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; [key: string]: unknown }
>;

export interface Synthesized {
  relay: RelayApp;
  data: Template;
  app: Template;
  synthError: unknown;
}

/**
 * Synthesizes `stage`; `bundle: false` skips esbuild (assets are still staged); `context` adds CLI
 * context (e.g. `alarmEmails`). A failed synth is returned as `synthError` with empty templates, so
 * the test that checks it reports the cause.
 */
export const synthesize = (
  stage: StageName,
  { bundle, context: extra = {} }: { bundle: boolean; context?: Record<string, unknown> },
): Synthesized => {
  const context = { ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...extra };
  const relay = buildApp(stage, { context });
  let synthError: unknown;
  let assembly: CloudAssembly | undefined;
  try {
    assembly = relay.app.synth();
  } catch (error) {
    synthError = error;
  }
  const template = (stack: Stack) =>
    Template.fromJSON(assembly?.getStackByName(stack.stackName).template ?? { Resources: {} });
  return { relay, data: template(relay.data), app: template(relay.appStack), synthError };
};

export const logicalId = (stack: Stack, element: unknown): string =>
  stack.getLogicalId(element as CfnElement);

/** `{ 'Fn::GetAtt': [id, attribute] }` */
export const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });
