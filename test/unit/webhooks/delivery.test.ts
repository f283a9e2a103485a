/**
 * The delivery task against real HTTP receivers on 127.0.0.1 (stage `local`): signed requests
 * that verify, attempt counting, 2xx / 410 / 5xx / timeout behaviour, and the record task.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalKms, startLocalKms } from '#infra/local/kms';
import { kmsOpener, kmsSealer } from '#shared/aws/kms-envelope';
import {
  type DeliveryDeps,
  DeliveryFailed,
  deliverWebhook,
  httpSender,
  payloadOf,
} from '#shared/domain/webhooks/delivery';
import { recordDelivery } from '#shared/domain/webhooks/record';
import type { DeliveryInput, WebhookEvent } from '#shared/domain/webhooks/service';
import { SIGNATURE_HEADER, secretContextOf, verifySignature } from '#shared/domain/webhooks/signing';
import type { StoredWebhook } from '#shared/domain/webhooks/store';
import { receiverPool } from '../../support/webhook-receiver.ts';
import { memoryWebhookStore } from './memory-store.ts';

const WEBHOOK_ID = '01JG00000000000000000000A1';
const DELIVERY_ID = '01JG00000000000000000000Z9';
const SECRET = 'whsec_unit-test-secret-0123456789abcdefghij';

// The secret is sealed and opened through the real KMS client against the local KMS stand-in.
let kms: LocalKms;
let kmsClient: KMSClient;
beforeAll(async () => {
  kms = await startLocalKms();
  kmsClient = new KMSClient({
    endpoint: kms.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  kmsClient.destroy();
  await kms.close();
});

const receivers = receiverPool();
afterEach(receivers.closeAll);
const receiver = receivers.start;

const event: WebhookEvent = {
  eventId: 'abcdef0123456789abcdef0123456789',
  detailType: 'customer.created',
  source: 'relay.customers',
  occurredAt: '2026-11-23T09:59:00.000Z',
  detail: { eventId: 'abcdef0123456789abcdef0123456789', schemaVersion: 1, customerId: 'c1' },
};

const setup = async (url: string, stage = 'local') => {
  const webhook: StoredWebhook = {
    id: WEBHOOK_ID,
    url,
    eventTypes: ['*'],
    active: true,
    createdAt: '2026-11-23T09:00:00.000Z',
    updatedAt: '2026-11-23T09:00:00.000Z',
    version: 1,
    sealedSecret: await kmsSealer(kmsClient, kms.keyArn).seal(SECRET, secretContextOf(WEBHOOK_ID)),
  };
  const memory = memoryWebhookStore([webhook]);
  void memory.store.createDelivery(
    {
      id: DELIVERY_ID,
      webhookId: WEBHOOK_ID,
      eventId: event.eventId,
      detailType: event.detailType,
      status: 'pending',
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    },
    event,
  );
  const deps: DeliveryDeps = {
    webhooks: memory.store,
    secrets: kmsOpener(kmsClient, kms.keyArn),
    clock: { now: () => new Date(), newId: () => 'x' },
    stage,
  };
  const input: DeliveryInput = { deliveryId: DELIVERY_ID, webhookId: WEBHOOK_ID };
  const delivery = () => memory.deliveries.get(`${WEBHOOK_ID}/${DELIVERY_ID}`);
  return { deps, input, memory, delivery };
};

describe('Module: webhook delivery', () => {
  it('POSTs the payload signed so that verifySignature accepts it, with the event headers', async () => {
    // Prepare
    const hook = await receiver([200]);
    const { deps, input, delivery } = await setup(hook.url);

    // Act
    const result = await deliverWebhook(deps, input);

    // Assess
    expect(result).toEqual({
      deliveryId: DELIVERY_ID,
      webhookId: WEBHOOK_ID,
      outcome: 'delivered',
      statusCode: 200,
      attempts: 1,
    });
    const [request] = hook.received;
    expect(request?.body).toBe(payloadOf(event));
    expect(JSON.parse(request?.body ?? '{}')).toEqual({
      id: event.eventId,
      type: 'customer.created',
      source: 'relay.customers',
      occurredAt: event.occurredAt,
      data: event.detail,
    });
    expect(
      verifySignature(
        SECRET,
        request?.headers[SIGNATURE_HEADER.toLowerCase()] as string,
        request?.body ?? '',
      ),
    ).toBe(true);
    expect(request?.headers).toMatchObject({
      'relay-event-id': event.eventId,
      'relay-event-type': 'customer.created',
      'relay-delivery-id': DELIVERY_ID,
      'content-type': 'application/json',
    });
    expect(delivery()).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
    });
  });

  it('throws DeliveryFailed (by name, for the ASL Retry) on a 5xx and logs the attempt without the body', async () => {
    // Prepare
    const hook = await receiver([503]);
    const { deps, input, delivery } = await setup(hook.url);

    // Act
    const result = deliverWebhook(deps, input);

    // Assess
    await expect(result).rejects.toBeInstanceOf(DeliveryFailed);
    await expect(deliverWebhook(deps, input)).rejects.toMatchObject({ name: 'DeliveryFailed' });
    expect(delivery()).toMatchObject({ attempts: 2, lastStatusCode: 503, lastError: 'HTTP 503' });
    expect(JSON.stringify(delivery())).not.toContain('receiver body');
  });

  it('treats other 4xx as retryable failures too', async () => {
    // Prepare
    const hook = await receiver([400]);
    const { deps, input } = await setup(hook.url);

    // Act
    const result = deliverWebhook(deps, input);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'DeliveryFailed', message: 'attempt 1: HTTP 400' });
  });

  it('deactivates the subscription on 410 Gone without retrying', async () => {
    // Prepare
    const hook = await receiver([410]);
    const { deps, input, memory } = await setup(hook.url);

    // Act
    const result = await deliverWebhook(deps, input);

    // Assess
    expect(result.outcome).toBe('gone');
    expect(memory.webhooks.get(WEBHOOK_ID)?.active).toBe(false);
  });

  it('times out a receiver that never answers (10 s) and fails the attempt', {
    timeout: 15_000,
  }, async () => {
    // Prepare
    const hook = await receiver(['hang']);
    const { deps, input, delivery } = await setup(hook.url);

    // Act
    const result = deliverWebhook({ ...deps, timeoutMs: 200 }, input);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'DeliveryFailed' });
    expect(delivery()).toMatchObject({
      attempts: 1,
      lastStatusCode: null,
      lastError: 'timed out after 0.2 s',
    });
  });

  it('refuses a loopback receiver outside the local stage without sending anything', async () => {
    // Prepare
    const hook = await receiver([200]);
    const { deps, input, delivery } = await setup(hook.url, 'dev');

    // Act
    const result = await deliverWebhook(deps, input);

    // Assess
    expect(result.outcome).toBe('rejected');
    expect(hook.received).toHaveLength(0);
    expect(delivery()).toMatchObject({
      status: 'failed',
      attempts: 0,
      lastError: expect.stringMatching(/URL not allowed/),
    });
  });

  it('refuses a host name that resolves to loopback outside the local stage (DNS-time check)', async () => {
    // Prepare
    const hook = await receiver([200]);
    const { deps, input, delivery } = await setup(hook.url.replace('127.0.0.1', 'hooks.example.com'), 'dev');
    const rebinding = httpSender((_host, _options, callback) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }]),
    );

    // Act
    const result = await deliverWebhook({ ...deps, send: rebinding }, input);

    // Assess
    expect(result.outcome).toBe('rejected');
    expect(hook.received).toHaveLength(0);
    expect(delivery()?.lastError).toBe('blocked: the host resolves to a private address');
  });

  it('connects to the address the guarded lookup checked (local stage, same resolver)', async () => {
    // Prepare
    const hook = await receiver([200]);
    const { deps, input } = await setup(hook.url.replace('127.0.0.1', 'hooks.example.com'), 'local');
    const resolver = httpSender((_host, _options, callback) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }]),
    );

    // Act
    const result = await deliverWebhook({ ...deps, send: resolver }, input);

    // Assess
    expect(result.outcome).toBe('delivered');
    expect(hook.received).toHaveLength(1);
  });

  it('ends a delivery of a deactivated subscription as failed without sending or counting an attempt', async () => {
    // Prepare
    const hook = await receiver([200]);
    const { deps, input, memory, delivery } = await setup(hook.url);
    await memory.store.deactivate(WEBHOOK_ID, '2026-11-23T10:00:30.000Z');

    // Act
    const result = await deliverWebhook(deps, input);

    // Assess
    expect(result.outcome).toBe('rejected');
    expect(hook.received).toHaveLength(0);
    expect(delivery()).toMatchObject({
      status: 'failed',
      attempts: 0,
      lastError: 'the subscription was deleted or deactivated',
    });
  });

  it('sends a pre-upgrade record (no stored event) from the event its execution input carried', async () => {
    // Prepare
    const hook = await receiver([200]);
    const { deps, input, delivery } = await setup(hook.url);
    const stored = delivery();
    if (stored) delete stored.event;

    // Act
    const result = await deliverWebhook(deps, { ...input, event });

    // Assess
    expect(result.outcome).toBe('delivered');
    expect(hook.received[0]?.body).toBe(payloadOf(event));
  });

  it('ends a record with no event and an input without one as failed, sending nothing', async () => {
    // Prepare
    const hook = await receiver([200]);
    const { deps, input, delivery } = await setup(hook.url);
    const stored = delivery();
    if (stored) delete stored.event;

    // Act
    const result = await deliverWebhook(deps, input);

    // Assess
    expect(result.outcome).toBe('rejected');
    expect(hook.received).toHaveLength(0);
    expect(delivery()).toMatchObject({
      status: 'failed',
      lastError: 'the delivery record holds no event to send',
    });
  });

  it('signs with a sealed secret only when it opens under its own subscription id', async () => {
    // Prepare: the sealed secret of another subscription copied onto this one.
    const hook = await receiver([200]);
    const { deps, input, memory, delivery } = await setup(hook.url);
    const foreign = await kmsSealer(kmsClient, kms.keyArn).seal(
      SECRET,
      secretContextOf('01JG00000000000000000000B2'),
    );
    const stored = memory.webhooks.get(WEBHOOK_ID);
    if (stored) stored.sealedSecret = foreign;

    // Act
    const result = await deliverWebhook(deps, input);

    // Assess
    expect(result.outcome).toBe('rejected');
    expect(hook.received).toHaveLength(0);
    expect(delivery()).toMatchObject({
      status: 'failed',
      attempts: 0,
      lastError: 'the signing secret cannot be opened',
    });
  });

  it('still signs with the plaintext secret of a subscription created before sealing (deprecated)', async () => {
    // Prepare
    const hook = await receiver([200]);
    const { deps, input, memory } = await setup(hook.url);
    const stored = memory.webhooks.get(WEBHOOK_ID);
    if (stored) {
      delete stored.sealedSecret;
      stored.secret = SECRET;
    }

    // Act
    const result = await deliverWebhook(deps, input);

    // Assess
    expect(result.outcome).toBe('delivered');
    const [request] = hook.received;
    expect(
      verifySignature(
        SECRET,
        request?.headers[SIGNATURE_HEADER.toLowerCase()] as string,
        request?.body ?? '',
      ),
    ).toBe(true);
  });

  it('skips a delivery that is already final (duplicate execution)', async () => {
    // Prepare
    const hook = await receiver([200]);
    const { deps, input, memory } = await setup(hook.url);
    await memory.store.finish(WEBHOOK_ID, DELIVERY_ID, 'succeeded', '2026-11-23T10:01:00.000Z');

    // Act
    const result = await deliverWebhook(deps, input);

    // Assess
    expect(result.outcome).toBe('skipped');
    expect(hook.received).toHaveLength(0);
  });

  describe('Function: recordDelivery', () => {
    it('moves a pending delivery to its final status once', async () => {
      // Prepare
      const { deps, delivery } = await setup('http://127.0.0.1:1/hook');

      // Act
      const first = await recordDelivery(deps, {
        deliveryId: DELIVERY_ID,
        webhookId: WEBHOOK_ID,
        status: 'succeeded',
      });
      const second = await recordDelivery(deps, {
        deliveryId: DELIVERY_ID,
        webhookId: WEBHOOK_ID,
        status: 'dead_lettered',
      });

      // Assess
      expect(first.status).toBe('succeeded');
      expect(second.status).toBe('succeeded');
      expect(delivery()?.status).toBe('succeeded');
    });

    it('keeps only the error name of a dead letter not caused by DeliveryFailed', async () => {
      // Prepare
      const { deps, delivery } = await setup('http://127.0.0.1:1/hook');

      // Act
      await recordDelivery(deps, {
        deliveryId: DELIVERY_ID,
        webhookId: WEBHOOK_ID,
        status: 'dead_lettered',
        error: { Error: 'Lambda.ServiceException', Cause: 'something with data in it' },
      });

      // Assess
      expect(delivery()).toMatchObject({
        status: 'dead_lettered',
        lastError: 'gave up after Lambda.ServiceException',
      });
    });
  });
});
