/** The Query contract (test/support/query-contract.ts) on DynamoDB Local, the reference. */
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll } from 'vitest';
import { describeQueryContract } from '#test/support/query-contract';
import { type TestTable, useTestTable } from './support/local-cloud.ts';

let table: TestTable;

beforeAll(async () => {
  table = await useTestTable('query-contract');
});

describeQueryContract('DynamoDB Local', async (items) => {
  for (let i = 0; i < items.length; i += 25) {
    await table.doc.send(
      new BatchWriteCommand({
        RequestItems: { [table.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
  return (input) => table.doc.send(new QueryCommand({ ...input, TableName: table.tableName }));
});
