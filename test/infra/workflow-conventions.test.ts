/** The placeholder naming convention that lets a new workflow need no CDK code (infra/config/workflows.ts). */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  kebabCase,
  placeholdersOf,
  readWorkflowDefinition,
  resolvePlaceholder,
  taskTimeoutsOf,
  workflowNames,
} from '#infra/config/workflows';

/** `${name}` as it appears in an ASL file. */
const ph = (name: string): string => ['$', '{', name, '}'].join('');

describe('workflow placeholders', () => {
  it('lists each placeholder once, in order of first appearance', () => {
    // Prepare
    const asl = JSON.stringify({
      States: {
        A: { Resource: ph('DeliverWebhookFunctionArn') },
        B: { Parameters: { FunctionName: ph('RecordDeliveryFunctionArn'), Table: ph('TableName') } },
        C: { Resource: ph('DeliverWebhookFunctionArn'), Format: "States.Format('{}', $.id)" },
      },
    });

    // Act
    const names = placeholdersOf(asl);

    // Assess
    expect(names).toEqual(['DeliverWebhookFunctionArn', 'RecordDeliveryFunctionArn', 'TableName']);
  });

  it.each([
    ['DeliverWebhook', 'deliver-webhook'],
    ['RecordDelivery', 'record-delivery'],
    ['Send', 'send'],
    ['SendSESEmail', 'send-ses-email'],
    ['ResolveAudiencePage2', 'resolve-audience-page2'],
  ])('kebab-cases %s as %s', (pascal, kebab) => {
    // Prepare / Act
    const result = kebabCase(pascal);

    // Assess
    expect(result).toBe(kebab);
  });

  it('maps <Task>FunctionArn to functions/workflows/<workflow>/<task>.ts', () => {
    // Prepare / Act
    const resolved = resolvePlaceholder('webhook-delivery', 'DeliverWebhookFunctionArn');

    // Assess
    expect(resolved).toEqual({
      kind: 'function',
      name: 'DeliverWebhookFunctionArn',
      entry: 'functions/workflows/webhook-delivery/deliver-webhook.ts',
    });
  });

  it('maps TableName and EventBusName to the stage resources', () => {
    // Prepare / Act
    const resolved = ['TableName', 'EventBusName'].map((p) => resolvePlaceholder('any', p).kind);

    // Assess
    expect(resolved).toEqual(['tableName', 'eventBusName']);
  });

  it.each(['QueueUrl', 'FunctionArn', 'deliverWebhookFunctionArn', ''])(
    'rejects the placeholder "%s", which follows no convention',
    (name) => {
      // Prepare
      const resolve = () => resolvePlaceholder('webhook-delivery', name);

      // Act / Assess
      expect(resolve).toThrow(/follows no convention/);
    },
  );

  it('takes a task function timeout from the longest TimeoutSeconds of the Task states using it, nested ones included', () => {
    // Prepare
    const asl = JSON.stringify({
      States: {
        Deliver: { Type: 'Task', Resource: ph('DeliverFunctionArn'), TimeoutSeconds: 60 },
        Again: { Type: 'Task', Resource: ph('DeliverFunctionArn'), TimeoutSeconds: 90 },
        Record: { Type: 'Task', Resource: ph('RecordFunctionArn') },
        Fan: {
          Type: 'Map',
          ItemProcessor: {
            States: {
              Send: { Type: 'Task', Parameters: { FunctionName: ph('SendFunctionArn') }, TimeoutSeconds: 30 },
            },
          },
        },
      },
    });

    // Act
    const timeouts = taskTimeoutsOf(asl);

    // Assess
    expect(timeouts).toEqual({ DeliverFunctionArn: 90, SendFunctionArn: 30 });
  });

  it('resolves every task placeholder of every workflow to a handler file that exists', () => {
    // Prepare
    const tasks = workflowNames().flatMap((workflow) =>
      placeholdersOf(readWorkflowDefinition(workflow))
        .map((p) => ({ workflow, resolved: resolvePlaceholder(workflow, p) }))
        .filter(({ resolved }) => resolved.kind === 'function'),
    );

    // Act
    const missing = tasks.filter(
      ({ resolved }) =>
        resolved.kind === 'function' && !existsSync(new URL(`../../${resolved.entry}`, import.meta.url)),
    );

    // Assess
    expect(tasks.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
