/** DynamoDB implementation of the company repository. */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type CursorKeys, lazyCursorKeys } from '#shared/db/cursor';
import {
  claimGuard,
  dueInRecycleBin,
  entityOf,
  type PlannedWrite,
  releaseGuard,
  stamp,
  transactWrite,
  updateFields,
} from '#shared/db/dynamo';
import {
  companyListKeys,
  companyListShard,
  companyProfileKey,
  companyRecycleBinKeys,
  companyRecycleBinShard,
  LIST_SHARDS,
  recycleBinDueUntil,
  uniqueDomainKey,
} from '#shared/db/keys';
import { queryShardedList } from '#shared/db/pagination';
import { changedConcurrently } from '#shared/domain/common/records';
import type { Company } from '#shared/domain/companies/schemas';
import type { CompanyStore } from '#shared/domain/companies/store';
import { ConflictError, PreconditionFailedError, type RelayError } from '#shared/errors';

const profileItem = (c: Company) =>
  stamp({
    ...companyProfileKey(c.id),
    ...companyListKeys(c.id),
    entity: 'company',
    ...c,
  });

const duplicateDomain = (): RelayError =>
  new ConflictError('Another company already uses this domain.', {
    slug: 'duplicate-domain',
    title: 'Domain already in use',
    errors: [{ path: 'body.domain', message: 'already used by another company', code: 'duplicate' }],
  });

const hasContacts = (): RelayError =>
  new ConflictError('The company still has linked contacts; unlink or move them first.', {
    slug: 'company-has-contacts',
    title: 'Company has contacts',
  });

/** Attributes other writers maintain on the company item (never part of a user edit). */
const counterFields: ReadonlySet<string> = new Set(['contactsCount']);

const withCondition = (
  update: ReturnType<typeof updateFields>,
  condition: string,
  values: Record<string, unknown>,
) => ({
  ...update,
  ConditionExpression: condition,
  ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...values },
});

const changed = (): RelayError => changedConcurrently('company');

export const createCompanyStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
  /** Only listing needs it (the recycle bin sweeper lists nothing through cursors). */
  cursorKeys?: CursorKeys,
): CompanyStore => {
  const keys = lazyCursorKeys(cursorKeys);
  const run = (planned: PlannedWrite[]) => transactWrite(client, planned);
  const guardPut = (company: Company, domain: string): PlannedWrite =>
    claimGuard(
      tableName,
      uniqueDomainKey(domain),
      'uniqueDomain',
      { companyId: company.id },
      duplicateDomain,
    );
  const guardDelete = (company: Company, domain: string): PlannedWrite =>
    releaseGuard(tableName, uniqueDomainKey(domain), 'companyId', company.id);

  return {
    async create(company) {
      await run([
        {
          item: {
            Put: {
              TableName: tableName,
              Item: profileItem(company),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onFail: () => new ConflictError('A company with this id already exists.'),
        },
        ...(company.domain ? [guardPut(company, company.domain)] : []),
      ]);
    },

    async get(id) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: companyProfileKey(id), ConsistentRead: true }),
      );
      return out.Item ? entityOf<Company>(out.Item) : undefined;
    },

    async replace(before, after) {
      // Compared by guard key (normalised once, in keys.ts): `www.x` → `x` is the same domain, and
      // a transaction that claimed and released the same guard item would touch it twice.
      const guardOf = (domain: string | undefined) => (domain ? uniqueDomainKey(domain).pk : undefined);
      const domainChanged = guardOf(before.domain) !== guardOf(after.domain);
      await run([
        {
          item: {
            // Update, not Put: `contactsCount` is maintained by contact links and must survive edits.
            Update: {
              TableName: tableName,
              Key: companyProfileKey(after.id),
              ...withCondition(
                // `stamp` adds `lastChange` (who made this edit) to the fields to SET.
                updateFields(before, stamp({ ...after }), counterFields),
                'attribute_exists(pk) AND version = :expected',
                {
                  ':expected': before.version,
                },
              ),
            },
          },
          onFail: changed,
        },
        ...(domainChanged && after.domain ? [guardPut(after, after.domain)] : []),
        ...(domainChanged && before.domain ? [guardDelete(before, before.domain)] : []),
      ]);
    },

    async bin(company, binned) {
      if (!binned.purgeAt) throw new Error('a binned company needs purgeAt');
      // One condition covers both rules (an item appears once per transaction); on failure the
      // current item tells which rule it was.
      const failed = new Error('company bin condition failed');
      try {
        await run([
          {
            item: {
              Put: {
                TableName: tableName,
                // Off the company list, onto the recycle bin index (sorted by purgeAt).
                Item: stamp({
                  ...companyProfileKey(binned.id),
                  ...companyRecycleBinKeys(binned.id, binned.purgeAt),
                  entity: 'company',
                  ...binned,
                }),
                ConditionExpression:
                  'attribute_exists(pk) AND version = :expected AND attribute_not_exists(deletedAt) AND (attribute_not_exists(contactsCount) OR contactsCount = :zero)',
                ExpressionAttributeValues: { ':expected': company.version, ':zero': 0 },
              },
            },
            onFail: () => failed,
          },
        ]);
      } catch (error) {
        if (error !== failed) throw error;
        const current = await this.get(company.id);
        if (!current || current.version !== company.version || current.deletedAt !== undefined)
          throw changed();
        throw hasContacts();
      }
    },

    async restore(binned, restored) {
      // Contacts cannot be linked to a binned company, so its `contactsCount` is 0 and a Put is safe.
      await run([
        {
          item: {
            Put: {
              TableName: tableName,
              Item: profileItem(restored),
              ConditionExpression: 'version = :expected AND attribute_exists(deletedAt)',
              ExpressionAttributeValues: { ':expected': binned.version },
            },
          },
          onFail: changed,
        },
      ]);
    },

    dueForPurge: (now, limit) =>
      dueInRecycleBin(
        client,
        tableName,
        { shards: LIST_SHARDS, shardKey: companyRecycleBinShard, dueUntil: recycleBinDueUntil(now) },
        limit,
      ),

    async purge(id, now) {
      const binned = await this.get(id);
      if (!binned || binned.deletedAt === undefined || (binned.purgeAt ?? '') > now) return false;
      try {
        await run([
          {
            item: {
              Delete: {
                TableName: tableName,
                Key: companyProfileKey(id),
                // Still binned, still due, and not edited since read (a restore wins the race).
                ConditionExpression:
                  'version = :expected AND attribute_exists(deletedAt) AND purgeAt <= :now',
                ExpressionAttributeValues: { ':expected': binned.version, ':now': now },
              },
            },
            onFail: changed,
          },
          ...(binned.domain ? [guardDelete(binned, binned.domain)] : []),
        ]);
      } catch (error) {
        if (error instanceof PreconditionFailedError) return false;
        throw error;
      }
      return true;
    },

    async list({ limit, cursor }) {
      const page = await queryShardedList(client, {
        tableName,
        shardPartition: companyListShard,
        shards: LIST_SHARDS,
        limit,
        cursor,
        cursorContext: { keys, scope: 'companies' },
      });
      return { items: page.items.map((item) => entityOf<Company>(item)), nextCursor: page.nextCursor };
    },
  };
};
