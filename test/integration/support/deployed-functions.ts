/**
 * Every Lambda function CDK deploys, read from the app itself (each `RelayFunction` of the dev
 * stage, built without bundling): areas, stream and event consumers, workflow tasks, sweepers and
 * triggers. A new function is listed here as soon as a construct creates it.
 */
import { buildApp } from '#infra/app';
import { RelayFunction } from '#infra/constructs/relay-function';

export interface DeployedFunction {
  /** Handler file, relative to the repository root. */
  entry: string;
  /** Construct paths of the functions built from it. */
  paths: string[];
}

export const deployedFunctions = (stage: 'dev' | 'staging' | 'prod' = 'dev'): DeployedFunction[] => {
  const relay = buildApp(stage, { context: { 'aws:cdk:bundling-stacks': [] } });
  const byEntry = new Map<string, string[]>();
  for (const construct of relay.app.node.findAll()) {
    if (!(construct instanceof RelayFunction)) continue;
    byEntry.set(construct.entry, [...(byEntry.get(construct.entry) ?? []), construct.node.path]);
  }
  return [...byEntry.entries()]
    .map(([entry, paths]) => ({ entry, paths }))
    .sort((a, b) => a.entry.localeCompare(b.entry));
};
