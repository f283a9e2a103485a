/** The webhook repository contract (test/support/store-contract.ts) on the DynamoDB adapter. */
import { beforeAll } from 'vitest';
import { createWebhookStore } from '#shared/db/webhook-store';
import { describeStoreContract } from '#test/support/store-contract';
import { TEST_CURSOR_SECRET, type TestTable, useTestTable } from './support/local-cloud.ts';

let table: TestTable;

beforeAll(async () => {
  table = await useTestTable('webhook-store-contract');
});

describeStoreContract('DynamoDB adapter on DynamoDB Local', () =>
  createWebhookStore(table.doc, table.tableName, TEST_CURSOR_SECRET),
);
