/** Storage limits: item size measurement and DynamoDB size rejections as a 413 problem, never a 500. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { assertItemFits, itemSizeOf, MAX_ITEM_BYTES, storageLimitError } from '#shared/db/dynamo';
import { RecordTooLargeError } from '#shared/errors';
import { problemOf } from '#shared/http/problem';
import { thrownBy } from '#test/unit/support/errors';

describe('Function: itemSizeOf', () => {
  it('counts UTF-8 bytes of names and strings', () => {
    // Prepare
    const item = { name: 'é'.repeat(10) };

    // Act
    const size = itemSizeOf(item);

    // Assess: 3 map overhead + 1 + 4 name bytes + 20 value bytes
    expect(size).toBe(28);
  });
});

describe('Function: assertItemFits', () => {
  it('refuses an item past 400 KB with a 413 before writing', () => {
    // Prepare
    const item = { pk: 'C#1', notes: 'x'.repeat(MAX_ITEM_BYTES) };

    // Act
    const error = thrownBy(() => assertItemFits(item));

    // Assess
    expect(error).toBeInstanceOf(RecordTooLargeError);
    expect((error as RecordTooLargeError).status).toBe(413);
  });

  it('accepts an item well under the limit', () => {
    // Act & Assess
    expect(() => assertItemFits({ pk: 'C#1', notes: 'x'.repeat(1000) })).not.toThrow();
  });
});

describe('Function: storageLimitError', () => {
  it('maps an UpdateItem size ValidationException to a 413 problem', () => {
    // Prepare
    const error = Object.assign(new Error('Item size to update has exceeded the maximum allowed size'), {
      name: 'ValidationException',
    });

    // Act
    const problem = problemOf(storageLimitError(error) ?? error, '/customers/1', 'c-1');

    // Assess
    expect(problem.status).toBe(413);
    expect(problem.type).toMatch(/record-too-large$/);
  });

  it('maps a transaction cancelled for item size to a 413', () => {
    // Prepare
    const error = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [
        { Code: 'ValidationError', Message: 'Item size has exceeded the maximum allowed size' },
      ],
    });

    // Act
    const mapped = storageLimitError(error);

    // Assess
    expect(mapped?.status).toBe(413);
  });

  it('leaves unrelated errors alone', () => {
    // Prepare
    const error = Object.assign(new Error('One or more parameter values were invalid'), {
      name: 'ValidationException',
    });

    // Act & Assess
    expect(storageLimitError(error)).toBeUndefined();
  });
});
