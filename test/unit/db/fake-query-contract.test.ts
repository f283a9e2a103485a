/** The Query contract (test/support/query-contract.ts) on the unit tests' model of Query. */
import { describeQueryContract } from '#test/support/query-contract';
import { fakeQuery } from '#test/unit/support/fake-query';

describeQueryContract('fakeQuery', async (items, index) => {
  const query = fakeQuery(items, index);
  return async (input) => query(input);
});
