/**
 * The EventBridge client, created once per container with short timeouts and the SDK's standard
 * retry mode (throttling and 5xx of a whole `PutEvents` call are retried by the SDK; failed
 * entries inside a 200 response are retried by `shared/events/publisher.ts`). The endpoint comes
 * from `AWS_ENDPOINT_URL_EVENTBRIDGE` when set (local bus), with no plumbing here.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

let client: EventBridgeClient | undefined;

export const eventBridgeClient = (): EventBridgeClient => {
  client ??= new EventBridgeClient({
    maxAttempts: 4,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  return client;
};
