/** Writes the "needs attention" flag onto a customer's STATS item (read by the 360 view). */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalUpdate } from '#shared/db/dynamo';
import { customerStatsKey } from '#shared/db/keys';
import type { AttentionFlag } from '#shared/domain/timeline/attention';

/**
 * Clears the flag when no serious complaint is open any more (conditional, so a concurrent new
 * serious complaint keeps it). Returns whether it was cleared.
 */
export const clearAttentionIfSettled = (
  client: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
): Promise<boolean> =>
  conditionalUpdate(client, {
    TableName: tableName,
    Key: customerStatsKey(customerId),
    UpdateExpression: 'REMOVE needsAttention, attentionReason, attentionSince',
    ConditionExpression: 'attribute_exists(needsAttention) AND openSeriousComplaints <= :zero',
    ExpressionAttributeValues: { ':zero': 0 },
  });

/**
 * Sets `needsAttention`, the latest `attentionReason` and, the first time only, `attentionSince`.
 * Conditional on the stats item existing: returns false (not an error) when the customer was
 * deleted meanwhile, so the update never resurrects a partial item.
 */
export const flagCustomerForAttention = (
  client: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
  flag: AttentionFlag,
): Promise<boolean> =>
  conditionalUpdate(client, {
    TableName: tableName,
    Key: customerStatsKey(customerId),
    UpdateExpression:
      'SET needsAttention = :true, attentionReason = :reason, attentionSince = if_not_exists(attentionSince, :since)',
    // Not once the serious complaints are resolved (a late event must not re-flag the customer);
    // stats written before the counter existed carry none and are flagged as before.
    ConditionExpression:
      'attribute_exists(pk) AND (attribute_not_exists(openSeriousComplaints) OR openSeriousComplaints > :zero)',
    ExpressionAttributeValues: { ':true': true, ':reason': flag.reason, ':since': flag.since, ':zero': 0 },
  });
