/**
 * "Derive from the same config": for every function of every stage, the synthesized template's
 * Timeout, MemorySize and Environment are what `functionSettings` says, and the local cloud's
 * derivation (`infra/local/functions.ts`) has the same variables, the same literal values, and
 * a local value wherever the template has a resource reference.
 */
import type { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '#events/rules';
import { appFunctionDefs, type EnvRef, functionSettings } from '#infra/config/functions';
import { stageConfig, stageNames } from '#infra/config/stages';
import { RelayFunction } from '#infra/constructs/relay-function';
import { localFunction, localSettingsEnvironment } from '#infra/local/functions';
import { localRefs } from '#test/support/local-refs';
import { logicalId, type Synthesized, synthesize } from './support/synth.ts';

describe.each(stageNames)('stage %s: function settings', (stage) => {
  const config = stageConfig(stage);
  let s: Synthesized;
  let functions: RelayFunction[];

  beforeAll(() => {
    s = synthesize(stage, { bundle: false });
    functions = s.relay.appStack.node.findAll().filter((c): c is RelayFunction => c instanceof RelayFunction);
  });

  /** What CDK resolves a reference to in this stage's app stack. */
  const cdkValueOf = (stack: Stack, ref: EnvRef): unknown => {
    const app = s.relay.appStack;
    switch (ref.ref) {
      case 'tableName':
        return stack.resolve(s.relay.data.exportValue(s.relay.data.table.tableName));
      case 'eventBusName':
        return stack.resolve(app.events.bus.eventBusName);
      case 'cursorKeysSecretArn':
        return stack.resolve(s.relay.data.exportValue(s.relay.data.keys.cursorKeys.secretArn));
      case 'webhookSecretKeyArn':
        return stack.resolve(s.relay.data.exportValue(s.relay.data.keys.webhookSecrets.keyArn));
      case 'stateMachineArn':
        return stack.resolve(app.workflows.workflow(ref.workflow).stateMachine.stateMachineArn);
    }
  };

  it('builds exactly the functions appFunctionDefs lists, and every template function is one of them', () => {
    // Act
    const built = functions.map((fn) => JSON.stringify(fn.definition)).sort();

    // Assess
    expect(built).toEqual(
      appFunctionDefs(rules)
        .map((def) => JSON.stringify(def))
        .sort(),
    );
    expect(Object.keys(s.app.findResources('AWS::Lambda::Function'))).toHaveLength(functions.length);
  });

  it('synthesizes each function with the timeout, memory and environment of functionSettings, as the local cloud derives them', () => {
    const stack = s.relay.appStack;
    const resources = s.app.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>;
    for (const fn of functions) {
      // Prepare
      const settings = functionSettings(config, fn.definition);
      const local = localFunction(fn.definition, { stage: config, refs: localRefs, rules });
      const localEnvironment = localSettingsEnvironment(config, fn.definition, localRefs);
      const properties = resources[logicalId(stack, fn.fn.node.defaultChild)]?.Properties;
      if (!properties) throw new Error(`${fn.node.path}: not in the template`);
      const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;

      // Assess: timeout and memory, in CDK and locally
      expect(properties.Timeout, fn.entry).toBe(settings.timeoutSeconds);
      expect(properties.MemorySize, fn.entry).toBe(settings.memoryMB);
      expect(local.timeoutMs, fn.entry).toBe(Number(properties.Timeout) * 1000);
      expect(local.memoryMB, fn.entry).toBe(properties.MemorySize);

      // Assess: the same variables in the template and locally
      expect(Object.keys(variables).sort(), fn.entry).toEqual(Object.keys(localEnvironment).sort());
      for (const [name, value] of Object.entries(settings.environment)) {
        if (typeof value === 'string') {
          expect(variables[name], `${fn.entry} ${name}`).toBe(value);
          expect(localEnvironment[name], `${fn.entry} ${name}`).toBe(value);
        } else {
          // A reference: CDK's token for that resource in the template, a local value locally.
          expect(variables[name], `${fn.entry} ${name}`).toEqual(cdkValueOf(stack, value));
          expect(localEnvironment[name], `${fn.entry} ${name}`).toEqual(expect.any(String));
          expect(local.environment[name], `${fn.entry} ${name}`).toBe(localEnvironment[name]);
        }
      }
    }
  });
});
