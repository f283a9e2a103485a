/**
 * DynamoDB implementation of the webhook repository: subscriptions on the one `WEBHOOKS`
 * partition, deliveries on their subscription's partition (newest first, 30-day TTL), and
 * deliveries by status on gsi2 (the dead letters of a subscription are one Query).
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type CursorKeys, lazyCursorKeys } from '#shared/db/cursor';
import { deletePartition, entityOf, isConditionalCheckFailed, stamp, stampUpdate } from '#shared/db/dynamo';
import {
  deliveriesByStatus,
  deliveryKey,
  deliveryStatusKeys,
  prefixes,
  WEBHOOKS_PARTITION,
  webhookKey,
  webhookPartition,
} from '#shared/db/keys';
import { type Page, queryPage } from '#shared/db/pagination';
import { changedConcurrently } from '#shared/domain/common/records';
import type { Delivery } from '#shared/domain/webhooks/schemas';
import type { WebhookEvent } from '#shared/domain/webhooks/service';
import type { StoredDelivery, StoredWebhook, WebhookStore } from '#shared/domain/webhooks/store';
import { ConflictError } from '#shared/errors';

type Item = Record<string, unknown>;

/** How long the delivery log keeps an entry (DynamoDB TTL on `expiresAt`). */
export const DELIVERY_RETENTION_DAYS = 30;

const webhookItem = (webhook: StoredWebhook): Item =>
  stamp({
    ...webhookKey(webhook.id),
    entity: 'webhook',
    ...webhook,
  });

/** The delivery record keeps the (thin) event it delivers: the workflow's input names only ids. */
const deliveryItem = (delivery: Delivery, event: WebhookEvent): Item => ({
  ...deliveryKey(delivery.webhookId, delivery.id),
  ...deliveryStatusKeys(delivery.webhookId, delivery.status, delivery.id),
  entity: 'webhookDelivery',
  expiresAt: Math.floor(Date.parse(delivery.createdAt) / 1000) + DELIVERY_RETENTION_DAYS * 86_400,
  ...delivery,
  event,
});

/** The delivery as the API shows it (the stored event is the workflow's, not the log's). */
const deliveryOf = (item: Item): Delivery => {
  const { event: _event, ...delivery } = entityOf<StoredDelivery>(item);
  return delivery;
};

export const createWebhookStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  /** Only functions that list (the webhooks area) configure cursors; the others pass nothing. */
  cursorKeys?: CursorKeys,
): WebhookStore => {
  const keys = lazyCursorKeys(cursorKeys);
  const listPage = (limit: number, cursor?: string) =>
    queryPage(
      client,
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': WEBHOOKS_PARTITION, ':prefix': prefixes.webhook },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      {
        limit,
        cursor,
        cursorContext: { keys, scope: 'webhooks' },
        partitionKeyName: 'pk',
        partitionKeyValue: WEBHOOKS_PARTITION,
      },
    );

  return {
    async create(webhook) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: webhookItem(webhook),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error))
          throw new ConflictError('A webhook with this id already exists.');
        throw error;
      }
    },

    async get(id) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: webhookKey(id), ConsistentRead: true }),
      );
      return out.Item ? entityOf<StoredWebhook>(out.Item) : undefined;
    },

    async list({ limit, cursor }) {
      const page = await listPage(limit, cursor);
      return { items: page.items.map((item) => entityOf<StoredWebhook>(item)), nextCursor: page.nextCursor };
    },

    async all() {
      const out: StoredWebhook[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': WEBHOOKS_PARTITION, ':prefix': prefixes.webhook },
            ExclusiveStartKey,
          }),
        );
        out.push(...(page.Items ?? []).map((item) => entityOf<StoredWebhook>(item)));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return out;
    },

    async remove(webhook) {
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: webhookKey(webhook.id),
            ConditionExpression: 'attribute_exists(pk) AND #v = :expected',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':expected': webhook.version },
          }),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) {
          throw changedConcurrently('webhook');
        }
        throw error;
      }
      // The subscription goes first (no new deliveries start), then its log page by page (a
      // Query on its partition, never a Scan).
      await deletePartition(client, tableName, webhookPartition(webhook.id));
    },

    async deactivate(id, at) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: webhookKey(id),
            ...stampUpdate(
              {
                UpdateExpression: 'SET active = :false, updatedAt = :at, #v = #v + :one',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':false': false, ':true': true, ':at': at, ':one': 1 },
              },
              at,
            ),
            ConditionExpression: 'attribute_exists(pk) AND active = :true',
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    },

    async createDelivery(delivery, event) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: deliveryItem(delivery, event),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    },

    async getDelivery(webhookId, deliveryId) {
      const out = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: deliveryKey(webhookId, deliveryId),
          ConsistentRead: true,
        }),
      );
      return out.Item ? entityOf<StoredDelivery>(out.Item) : undefined;
    },

    async recordAttempt(webhookId, deliveryId, outcome) {
      try {
        const out = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: deliveryKey(webhookId, deliveryId),
            UpdateExpression:
              'SET attempts = attempts + :one, lastStatusCode = :code, lastError = :error, updatedAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND #s = :pending',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':code': outcome.statusCode,
              ':error': outcome.error,
              ':at': outcome.at,
              ':pending': 'pending',
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return out.Attributes ? deliveryOf(out.Attributes) : undefined;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return undefined;
        throw error;
      }
    },

    async finish(webhookId, deliveryId, status, at, lastError) {
      try {
        const out = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: deliveryKey(webhookId, deliveryId),
            UpdateExpression: `SET #s = :status, updatedAt = :at, gsi2pk = :gsi2pk${
              lastError === undefined ? '' : ', lastError = :error'
            }`,
            ConditionExpression: 'attribute_exists(pk) AND #s = :pending',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':status': status,
              ':at': at,
              ':gsi2pk': deliveriesByStatus(webhookId, status),
              ':pending': 'pending',
              ...(lastError === undefined ? {} : { ':error': lastError }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return out.Attributes ? deliveryOf(out.Attributes) : undefined;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return undefined;
        throw error;
      }
    },

    async deliveries(webhookId, { limit, cursor, status }) {
      const scope = `deliveries:${webhookId}:${status ?? ''}`;
      const page = status
        ? await queryPage(
            client,
            {
              TableName: tableName,
              IndexName: 'gsi2',
              KeyConditionExpression: 'gsi2pk = :pk',
              ExpressionAttributeValues: { ':pk': deliveriesByStatus(webhookId, status) },
              ScanIndexForward: false,
            },
            {
              limit,
              cursor,
              cursorContext: { keys, scope },
              partitionKeyName: 'gsi2pk',
              partitionKeyValue: deliveriesByStatus(webhookId, status),
            },
          )
        : await queryPage(
            client,
            {
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
              ExpressionAttributeValues: {
                ':pk': webhookPartition(webhookId),
                ':prefix': prefixes.delivery,
              },
              ScanIndexForward: false,
            },
            {
              limit,
              cursor,
              cursorContext: { keys, scope },
              partitionKeyName: 'pk',
              partitionKeyValue: webhookPartition(webhookId),
            },
          );
      return {
        items: page.items.map(deliveryOf),
        nextCursor: page.nextCursor,
      } satisfies Page<Delivery>;
    },
  };
};
