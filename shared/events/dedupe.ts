/**
 * Dedupe records for idempotent event consumers: one item per consumer and event id
 * (`DEDUPE#<consumer>#<shard>` / `<eventId>`, see `dedupeKey`), expiring after the dedupe window
 * (`dedupeTtlSeconds`: at least 7 days, and at least the bus archive's retention, so a replay of the
 * archive is deduplicated too).
 *
 * Claim-then-run: `claim` is a conditional put that only one delivery of an event can win; the
 * winner runs the consumer and then either `complete`s the record or, when the consumer failed,
 * `release`s it so the retry can run. A claim left `inProgress` by a crashed invocation can be
 * taken over once its lock (the invocation's remaining time) has passed.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '#shared/db/dynamo';
import { dedupeKey } from '#shared/db/keys';

/** The floor of the dedupe window: longer than EventBridge's 24 h retries and Lambda's async retries. */
export const DEDUPE_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * The dedupe window of this deployment: at least the bus archive's retention
 * (`DEDUPE_TTL_DAYS`, set by CDK from `events.archiveRetention`), so a replay of the archive never
 * re-runs a consumer that already handled the event (docs/adr/0011-thin-events.md).
 */
export const dedupeTtlSeconds = (): number => {
  const raw = process.env.DEDUPE_TTL_DAYS;
  if (raw === undefined || raw === '') return DEDUPE_TTL_SECONDS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error(`DEDUPE_TTL_DAYS must be a whole number of days between 1 and 3650, got "${raw}"`);
  }
  return Math.max(DEDUPE_TTL_SECONDS, days * 86_400);
};

export type ClaimResult = 'claimed' | 'done' | 'inProgress';

export interface DedupeStore {
  /**
   * `claimed` when this delivery may run the consumer; `done` when the event was handled already;
   * `inProgress` when another delivery holds a live claim.
   */
  claim(consumer: string, eventId: string, lockMs: number): Promise<ClaimResult>;
  /** Marks the event handled (the record stays until its TTL). */
  complete(consumer: string, eventId: string): Promise<void>;
  /** Gives up an in-progress claim so a retry can run the consumer again. */
  release(consumer: string, eventId: string): Promise<void>;
}

export const createDedupeStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  now: () => number = Date.now,
  ttlSeconds: number = dedupeTtlSeconds(),
): DedupeStore => ({
  async claim(consumer, eventId, lockMs) {
    const at = now();
    // Names this attempt: when the SDK retries a put whose first try did succeed (a timeout, a
    // throttled response), the condition fails on our own record; the token tells it was ours.
    const claimToken = randomUUID();
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...dedupeKey(consumer, eventId),
            entity: 'dedupe',
            consumer,
            eventId,
            status: 'inProgress',
            claimedAt: new Date(at).toISOString(),
            lockedUntil: at + lockMs,
            expiresAt: Math.floor(at / 1000) + ttlSeconds,
            claimToken,
          },
          // TTL deletes lazily (up to days late), so an expired record counts as absent.
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :nowSeconds OR (#status = :inProgress AND lockedUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':nowSeconds': Math.floor(at / 1000),
            ':inProgress': 'inProgress',
            ':now': at,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // The existing record comes back in wire format (the document client does not unmarshall errors).
      const existing = (error as { Item?: { status?: { S?: string }; claimToken?: { S?: string } } }).Item;
      if (existing?.claimToken?.S === claimToken) return 'claimed';
      return existing?.status?.S === 'inProgress' ? 'inProgress' : 'done';
    }
  },

  async complete(consumer, eventId) {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: dedupeKey(consumer, eventId),
        UpdateExpression: 'SET #status = :done, completedAt = :at REMOVE lockedUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'done', ':at': new Date(now()).toISOString() },
      }),
    );
  },

  async release(consumer, eventId) {
    try {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: dedupeKey(consumer, eventId),
          // Never delete a record of a completed run.
          ConditionExpression: '#status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'inProgress' },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  },
});
