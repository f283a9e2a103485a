/**
 * DynamoDB implementation of the template repository: templates (their latest content) on the
 * one `TEMPLATES` partition, their immutable versions on the template's own partition, and one
 * unique-name guard per template. docs/access-patterns.md, "Templates".
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type CursorKeys, lazyCursorKeys } from '#shared/db/cursor';
import {
  claimGuard,
  deletePartition,
  entityOf,
  type PlannedWrite,
  releaseGuard,
  stamp,
  transactWrite,
} from '#shared/db/dynamo';
import {
  prefixes,
  TEMPLATES_PARTITION,
  templateKey,
  templatePartition,
  templateVersionKey,
  uniqueTemplateNameKey,
} from '#shared/db/keys';
import { queryPage } from '#shared/db/pagination';
import { changedConcurrently } from '#shared/domain/common/records';
import type { Template, TemplateVersion } from '#shared/domain/templates/schemas';
import type { TemplateStore } from '#shared/domain/templates/store';
import { ConflictError } from '#shared/errors';

type Item = Record<string, unknown>;

const templateItem = (template: Template): Item =>
  stamp({ ...templateKey(template.id), entity: 'template', ...template });
const versionItem = (version: TemplateVersion): Item => ({
  ...templateVersionKey(version.templateId, version.contentVersion),
  entity: 'templateVersion',
  ...version,
});

const nameTaken = () => new ConflictError('A template with this name already exists.');
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export const createTemplateStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  cursorKeys?: CursorKeys,
): TemplateStore => {
  const keys = lazyCursorKeys(cursorKeys);
  const guard = (template: Template): PlannedWrite =>
    claimGuard(
      tableName,
      uniqueTemplateNameKey(template.name),
      'templateName',
      { templateId: template.id },
      nameTaken,
    );
  const putVersion = (version: TemplateVersion): PlannedWrite => ({
    item: {
      Put: {
        TableName: tableName,
        Item: versionItem(version),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onFail: () => changedConcurrently('template'),
  });

  return {
    async create(template, first) {
      await transactWrite(client, [
        {
          item: {
            Put: {
              TableName: tableName,
              Item: templateItem(template),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onFail: () => new ConflictError('A template with this id already exists.'),
        },
        putVersion(first),
        guard(template),
      ]);
    },

    async get(id) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: templateKey(id), ConsistentRead: true }),
      );
      return out.Item ? entityOf<Template>(out.Item) : undefined;
    },

    async list({ limit, cursor }) {
      const page = await queryPage(
        client,
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': TEMPLATES_PARTITION, ':prefix': prefixes.template },
          ScanIndexForward: false,
          ConsistentRead: true,
        },
        {
          limit,
          cursor,
          cursorContext: { keys, scope: 'templates' },
          partitionKeyName: 'pk',
          partitionKeyValue: TEMPLATES_PARTITION,
        },
      );
      return { items: page.items.map((item) => entityOf<Template>(item)), nextCursor: page.nextCursor };
    },

    async getVersion(id, contentVersion) {
      const out = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: templateVersionKey(id, contentVersion),
          ConsistentRead: true,
        }),
      );
      return out.Item ? entityOf<TemplateVersion>(out.Item) : undefined;
    },

    async update(next, previous, added) {
      const writes: PlannedWrite[] = [
        {
          item: {
            Put: {
              TableName: tableName,
              Item: templateItem(next),
              ConditionExpression: 'attribute_exists(pk) AND #v = :expected',
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':expected': previous.version },
            },
          },
          onFail: () => changedConcurrently('template'),
        },
      ];
      if (added) writes.push(putVersion(added));
      if (!sameName(next.name, previous.name)) {
        writes.push(
          guard(next),
          releaseGuard(tableName, uniqueTemplateNameKey(previous.name), 'templateId', previous.id),
        );
      }
      await transactWrite(client, writes);
    },

    async remove(template) {
      await transactWrite(client, [
        {
          item: {
            Delete: {
              TableName: tableName,
              Key: templateKey(template.id),
              ConditionExpression: 'attribute_exists(pk) AND #v = :expected',
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':expected': template.version },
            },
          },
          onFail: () => changedConcurrently('template'),
        },
        releaseGuard(tableName, uniqueTemplateNameKey(template.name), 'templateId', template.id),
      ]);
      // The template goes first (nothing can pin a new version), then its versions page by page.
      await deletePartition(client, tableName, templatePartition(template.id));
    },
  };
};
