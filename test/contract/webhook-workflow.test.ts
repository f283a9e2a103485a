/**
 * Contract: the webhook-delivery workflow definition. Every `${XxxFunctionArn}` placeholder names
 * an existing task handler (`functions/workflows/webhook-delivery/<xxx-kebab>.ts` exporting
 * `handler`), and the states carry the retry/dead-letter behaviour docs/webhooks.md promises.
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolvePlaceholder } from '#infra/config/workflows';

const root = fileURLToPath(new URL('../../', import.meta.url));
const WORKFLOW = 'webhook-delivery';
const text = readFileSync(`${root}infra/workflows/${WORKFLOW}.asl.json`, 'utf8');

interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<{ Next: string }>;
  Retry?: Array<{
    ErrorEquals: string[];
    IntervalSeconds?: number;
    BackoffRate?: number;
    MaxAttempts?: number;
    JitterStrategy?: string;
  }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
  Parameters?: Record<string, unknown>;
}
const definition = JSON.parse(text) as { StartAt: string; States: Record<string, State> };

/** `${Name}` as it appears in the ASL. */
const ref = (name: string): string => `\${${name}}`;

const placeholders = [...new Set(Array.from(text.matchAll(/\$\{([^}]*)\}/g), (m) => m[1] ?? ''))];

describe('Contract: webhook-delivery workflow', () => {
  it('uses exactly the two task placeholders', () => {
    // Assess
    expect(placeholders.sort()).toEqual(['DeliverWebhookFunctionArn', 'RecordDeliveryFunctionArn']);
  });

  it.each(placeholders)('maps placeholder %s to a handler file that exports handler', async (placeholder) => {
    // Prepare
    const resolved = resolvePlaceholder(WORKFLOW, placeholder);
    expect(resolved.kind).toBe('function');
    const entry = resolved.kind === 'function' ? resolved.entry : '';

    // Act
    const module = existsSync(`${root}${entry}`) ? await import(`${root}${entry}`) : undefined;

    // Assess
    expect(existsSync(`${root}${entry}`), entry).toBe(true);
    expect(typeof module?.handler).toBe('function');
  });

  it('only transitions to states that exist, and every state is reachable', () => {
    // Prepare
    const names = new Set(Object.keys(definition.States));
    const targets = Object.values(definition.States).flatMap((state) => [
      ...(state.Next ? [state.Next] : []),
      ...(state.Default ? [state.Default] : []),
      ...(state.Choices ?? []).map((choice) => choice.Next),
      ...(state.Catch ?? []).map((c) => c.Next),
    ]);

    // Assess
    expect(targets.filter((target) => !names.has(target))).toEqual([]);
    expect([...names].filter((name) => name !== definition.StartAt && !targets.includes(name))).toEqual([]);
  });

  it('retries DeliveryFailed with exponential backoff and jitter: 5 attempts in all', () => {
    // Prepare
    const deliver = definition.States.Deliver;
    const retrier = deliver?.Retry?.find((r) => r.ErrorEquals.includes('DeliveryFailed'));

    // Assess
    expect(definition.StartAt).toBe('Deliver');
    expect(deliver?.Resource).toBe(ref('DeliverWebhookFunctionArn'));
    expect(retrier).toMatchObject({
      IntervalSeconds: 60,
      BackoffRate: 4,
      MaxAttempts: 4,
      JitterStrategy: 'FULL',
    });
  });

  it('dead-letters whatever the retries do not fix, keeping the error for the record task', () => {
    // Prepare
    const catcher = definition.States.Deliver?.Catch?.[0];

    // Assess
    expect(catcher).toEqual({
      ErrorEquals: ['States.ALL'],
      ResultPath: '$.error',
      Next: 'RecordDeadLettered',
    });
    expect(definition.States.RecordDeadLettered?.Parameters).toMatchObject({
      status: 'dead_lettered',
      'error.$': '$.error',
    });
  });

  it.each([
    ['RecordSucceeded', 'succeeded'],
    ['RecordFailed', 'failed'],
    ['RecordDeadLettered', 'dead_lettered'],
  ])('%s records status %s through the RecordDelivery function', (name, status) => {
    // Prepare
    const state = definition.States[name];

    // Assess
    expect(state?.Resource).toBe(ref('RecordDeliveryFunctionArn'));
    expect(state?.Parameters).toMatchObject({
      status,
      'deliveryId.$': '$.deliveryId',
      'webhookId.$': '$.webhookId',
    });
    expect(state?.End).toBe(true);
  });
});
