/**
 * The Step Functions client, created once per container with short timeouts, and the delivery
 * starter the webhook dispatcher uses. The endpoint comes from `AWS_ENDPOINT_URL_SFN` when set
 * (the local cloud), with no plumbing here.
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { DeliveryStarter } from '#shared/domain/webhooks/service';

let client: SFNClient | undefined;

export const sfnClient = (): SFNClient => {
  client ??= new SFNClient({
    maxAttempts: 4,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  return client;
};

/** Env var (set by CDK from `infra/config/workflows.ts`) naming the webhook-delivery state machine. */
export const WEBHOOK_STATE_MACHINE_ENV = 'WEBHOOK_STATE_MACHINE_ARN';

/**
 * Starts one execution per delivery, named deterministically: a second start with the same name
 * (a redelivered event) answers `ExecutionAlreadyExists`, which means "already started" — fine.
 */
export const sfnDeliveryStarter = (sfn: SFNClient, stateMachineArn: string): DeliveryStarter => ({
  async start(name, input) {
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      return 'started';
    } catch (error) {
      if (
        error instanceof ExecutionAlreadyExists ||
        (error as { name?: string }).name === 'ExecutionAlreadyExists'
      ) {
        return 'already-started';
      }
      throw error;
    }
  },
});
