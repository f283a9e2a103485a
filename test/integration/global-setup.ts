/**
 * Global setup of the `integration` project: ONE in-memory DynamoDB Local on a free port for the
 * whole run. Test files reach it through `inject('dynamoEndpoint')` (see `support/local-cloud.ts`,
 * which also gives each file its own table).
 */
import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '#infra/local/dynamodb';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the run's DynamoDB Local. */
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamoLocal();
  if (process.env.RELAY_TEST_TIMINGS) {
    process.stderr.write(
      `[integration] DynamoDB Local ready at ${dynamo.endpoint} in ${dynamo.startupMs} ms\n`,
    );
  }
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
