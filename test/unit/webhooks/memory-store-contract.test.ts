/** The webhook repository contract (test/support/store-contract.ts) on the unit tests' fake. */
import { describeStoreContract } from '#test/support/store-contract';
import { memoryWebhookStore } from './memory-store.ts';

describeStoreContract('in-memory fake', () => memoryWebhookStore().store);
