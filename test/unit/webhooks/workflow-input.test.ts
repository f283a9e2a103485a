/** The webhook-delivery workflow's task inputs are validated at the edge. */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { handler as deliver } from '#functions/workflows/webhook-delivery/deliver-webhook';
import { handler as record } from '#functions/workflows/webhook-delivery/record-delivery';
import { DeliveryInputSchema, RecordInputSchema } from '#shared/domain/webhooks/workflow-input';

const WEBHOOK_ID = '01JG0000000000000000000WHK';
// Crockford base32 has no I, L, O or U: a real ULID.
const DELIVERY_ID = '01JG0000000000000000000DQV';

const deliveryInput = () => ({ deliveryId: DELIVERY_ID, webhookId: WEBHOOK_ID });

/** What executions started before the upgrade carried (the event in the input). */
const legacyInput = () => ({
  ...deliveryInput(),
  event: {
    eventId: '0123456789abcdef0123456789abcdef',
    detailType: 'customer.created',
    source: 'relay.customers',
    occurredAt: '2026-11-23T09:30:00.000Z',
    detail: { customerId: '01JD8X3Q9Z7N6M5K4H3G2F1E0D' },
  },
});

describe('Schema: DeliveryInputSchema', () => {
  it('accepts the input the dispatcher starts executions with (references only)', () => {
    // Act
    const parsed = DeliveryInputSchema.safeParse(deliveryInput());

    // Assess
    expect(parsed.data).toEqual(deliveryInput());
  });

  it('still accepts a pre-upgrade input that carried the event', () => {
    // Act
    const parsed = DeliveryInputSchema.safeParse(legacyInput());

    // Assess
    expect(parsed.data?.event?.detailType).toBe('customer.created');
  });

  it.each([
    ['a delivery id that is not a ULID', { ...deliveryInput(), deliveryId: 'x' }],
    ['a missing webhook id', { deliveryId: DELIVERY_ID }],
    [
      'a legacy event whose detail is not an object',
      { ...legacyInput(), event: { ...legacyInput().event, detail: 'x' } },
    ],
  ])('rejects %s', (_name, input) => {
    // Act
    const parsed = DeliveryInputSchema.safeParse(input);

    // Assess
    expect(parsed.success).toBe(false);
  });
});

describe('Schema: RecordInputSchema', () => {
  it('accepts a dead letter with the caught error', () => {
    // Act
    const parsed = RecordInputSchema.safeParse({
      deliveryId: DELIVERY_ID,
      webhookId: WEBHOOK_ID,
      status: 'dead_lettered',
      error: { Error: 'DeliveryFailed', Cause: 'HTTP 503' },
    });

    // Assess
    expect(parsed.success).toBe(true);
  });

  it('rejects an unknown status', () => {
    // Act
    const parsed = RecordInputSchema.safeParse({
      deliveryId: DELIVERY_ID,
      webhookId: WEBHOOK_ID,
      status: 'done',
    });

    // Assess
    expect(parsed.success).toBe(false);
  });
});

describe('Function: task handlers', () => {
  it('fails the Deliver task on a malformed input before any I/O', async () => {
    // Act & Assess
    await expect(deliver({ deliveryId: 'nope' })).rejects.toBeInstanceOf(z.core.$ZodError);
  });

  it('fails the Record task on a malformed input before any I/O', async () => {
    // Act & Assess
    await expect(record({ status: 'succeeded' })).rejects.toBeInstanceOf(z.core.$ZodError);
  });
});
