/** Writes the "needs attention" flag onto a customer's STATS item (read by the 360 view). */

import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '#shared/db/dynamo';
import { customerStatsKey } from '#shared/db/keys';
import type { AttentionFlag } from '#shared/domain/timeline/attention';

/**
 * Sets `needsAttention`, the latest `attentionReason` and, the first time only, `attentionSince`.
 * Conditional on the stats item existing: returns false (not an error) when the customer was
 * deleted meanwhile, so the update never resurrects a partial item.
 */
export const flagCustomerForAttention = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  customerId: string,
  flag: AttentionFlag,
): Promise<boolean> => {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: customerStatsKey(customerId),
        UpdateExpression:
          'SET needsAttention = :true, attentionReason = :reason, attentionSince = if_not_exists(attentionSince, :since)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':true': true, ':reason': flag.reason, ':since': flag.since },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
};
