/**
 * Integration-test access to the local cloud.
 *
 *   const { tableName, client } = await useTestTable();   // in beforeAll (or at module top)
 *   const api = await startTestApi();                      // after useTestTable
 *   const res = await fetch(`${api.url}/customers`, { headers: { authorization: `Bearer ${await api.token('sales')}` } });
 *   await api.close();
 *
 * Every test file gets its own table on the run's one DynamoDB Local (started by
 * `test/integration/global-setup.ts`), so files can run in parallel without seeing each other's data.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { type DevKeys, generateDevSecrets } from '#infra/local/dev-secrets';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient } from '#infra/local/dynamodb';
import { type AreaHandler, type LocalApiLogger, startLocalApi } from '#infra/local/http';
import { mintToken } from '#infra/local/tokens';
import type { Role } from '#shared/auth/roles';
import { documentClientOf } from '#shared/aws/clients';
import { resetConfig } from '#shared/config';
import { resetDeps } from '#shared/deps';
import type { Area } from '#shared/routes';

export const TEST_STAGE = 'test';
/** A fixed, obviously-fake cursor key (≥ 32 characters). */
export const TEST_CURSOR_SECRET = 'relay-integration-tests-cursor-secret-0123456789';

export interface TestTable {
  tableName: string;
  client: DynamoDBClient;
  /** Document client on the same connection (marshalling as in `shared/aws/clients.ts`). */
  doc: DynamoDBDocumentClient;
  endpoint: string;
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

/**
 * Points this test file's process at the run's DynamoDB Local (endpoint, fake credentials, region,
 * STAGE=test, CURSOR_SECRET, TABLE_NAME = a fresh table), creates the table from the one table
 * definition and resets the cached config and service wiring so functions read the new environment.
 */
export const useTestTable = async (name?: string): Promise<TestTable> => {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `relay-test-${name ? `${slug(name)}-` : ''}${randomUUID().slice(0, 8)}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    STAGE: TEST_STAGE,
    CURSOR_SECRET: TEST_CURSOR_SECRET,
    TABLE_NAME: tableName,
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const client = localDynamoClient(endpoint);
  await ensureTable(client, tableName);
  resetConfig();
  resetDeps();
  return { tableName, client, doc: documentClientOf(client), endpoint };
};

export interface TestApi {
  url: string;
  /** A dev access token for `role` (optionally for a given subject), accepted by this API. */
  token(role: Role, sub?: string): Promise<string>;
  /** The keys the API verifies with (mint special tokens with `mintToken`). */
  keys: DevKeys;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** Replace an area's handler (e.g. an echo handler to inspect the rendered event). */
  handlers?: Partial<Record<Area, AreaHandler>>;
  /** Capture the server's log lines (default: errors go to the console). */
  logger?: LocalApiLogger;
  timeoutMs?: number;
}

/** Starts the local API Gateway on a free port with throwaway signing keys. Call after `useTestTable`. */
export const startTestApi = async (options: TestApiOptions = {}): Promise<TestApi> => {
  const { keys } = await generateDevSecrets();
  const api = await startLocalApi({ port: 0, keys, ...options });
  return {
    url: api.url,
    keys,
    token: (role, sub) => mintToken({ role, sub }, keys),
    close: () => api.close(),
  };
};
