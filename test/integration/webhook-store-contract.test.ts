/** The webhook repository contract (test/support/store-contract.ts) on the DynamoDB adapter. */
import { beforeAll } from 'vitest';
import { cursorKeyRing, staticCursorKeys } from '#shared/db/cursor';
import { createWebhookStore } from '#shared/db/webhook-store';
import { describeStoreContract } from '#test/support/store-contract';
import { type TestTable, useTestTable } from './support/local-cloud.ts';

const KEYS = staticCursorKeys(cursorKeyRing('k1', { k1: 'relay-store-contract-cursor-key-0123456789abcd' }));

let table: TestTable;

beforeAll(async () => {
  table = await useTestTable('webhook-store-contract');
});

describeStoreContract('DynamoDB adapter on DynamoDB Local', () =>
  createWebhookStore(table.doc, table.tableName, KEYS),
);
