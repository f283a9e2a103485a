/**
 * `Idempotency-Key` for POST routes, on Powertools idempotency with its DynamoDB persistence layer
 * in the Relay table. The key is scoped to route + caller, so keys never collide across users or
 * endpoints; the request (path + body) is the validation payload, so the same key with another
 * body is a 422. Records live 24 h (TTL `expiresAt`) on 8 partitions to avoid a hot key.
 */
import { createHash } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoClient } from '#shared/aws/clients';
import { requireConfig } from '#shared/config';
import { IDEMPOTENCY_SHARDS, idempotencyPartition } from '#shared/db/keys';
import { ConflictError, IdempotencyKeyReuseError, ValidationError } from '#shared/errors';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

const layers = new Map<number, DynamoDBPersistenceLayer>();

const layerFor = (shard: number): DynamoDBPersistenceLayer => {
  let layer = layers.get(shard);
  if (!layer) {
    layer = new DynamoDBPersistenceLayer({
      tableName: requireConfig(['tableName']).tableName,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      staticPkValue: idempotencyPartition(String(shard)),
      expiryAttr: 'expiresAt',
      awsSdkV3Client: dynamoClient(),
    });
    layers.set(shard, layer);
  }
  return layer;
};

const KEY = /^[\x21-\x7e]{1,255}$/;

export const validIdempotencyKey = (key: string): string => {
  if (!KEY.test(key)) {
    throw new ValidationError('Idempotency-Key must be 1-255 visible ASCII characters.', {
      errors: [{ path: 'header.idempotency-key', message: 'invalid idempotency key' }],
    });
  }
  return key;
};

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Runs `execute` at most once per (scope, key) within the TTL and returns its stored response on
 * replays. Failures (thrown errors) are not stored, so a failed request can be retried.
 */
export const withIdempotency = async (
  scope: string,
  key: string,
  request: unknown,
  context: Context | undefined,
  execute: () => Promise<StoredResponse>,
): Promise<StoredResponse> => {
  const shard = createHash('sha1').update(scope).update(key).digest().readUInt8(0) % IDEMPOTENCY_SHARDS;
  const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: '[scope, key]',
    payloadValidationJmesPath: 'request',
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    throwOnNoIdempotencyKey: true,
  });
  if (context) idempotencyConfig.registerLambdaContext(context);
  const run = makeIdempotent(async (_input: { scope: string; key: string; request: unknown }) => execute(), {
    persistenceStore: layerFor(shard),
    config: idempotencyConfig,
  });
  try {
    return await run({ scope, key, request });
  } catch (error) {
    if (error instanceof IdempotencyValidationError) {
      throw new IdempotencyKeyReuseError('This Idempotency-Key was already used with a different request.');
    }
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly.', {
        slug: 'idempotency-in-progress',
        title: 'Request in progress',
      });
    }
    throw error;
  }
};
