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
  /** Repository files CDK copies next to its bundle (read at run time). */
  assets: readonly string[];
}

export const deployedFunctions = (stage: 'dev' | 'staging' | 'prod' = 'dev'): DeployedFunction[] => {
  const relay = buildApp(stage, { context: { 'aws:cdk:bundling-stacks': [] } });
  const byEntry = new Map<string, DeployedFunction>();
  for (const construct of relay.app.node.findAll()) {
    if (!(construct instanceof RelayFunction)) continue;
    const known = byEntry.get(construct.entry);
    byEntry.set(construct.entry, {
      entry: construct.entry,
      paths: [...(known?.paths ?? []), construct.node.path],
      assets: [...new Set([...(known?.assets ?? []), ...construct.assets])],
    });
  }
  return [...byEntry.values()].sort((a, b) => a.entry.localeCompare(b.entry));
};
