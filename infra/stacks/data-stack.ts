/**
 * Stateful resources of a stage. The table is built from `shared/db/table.ts`, the same object the
 * local cloud creates DynamoDB Local tables from, so key names, indexes, stream and TTL cannot drift.
 * The webhook secrets key lives here too: losing it would make every sealed signing secret
 * unreadable, so it follows the table's removal policy.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';
import { tableDefinition, tableNameFor } from '#shared/db/table';

/** The data stack's KMS keys that capabilities use (each capability construct grants its own use). */
export interface DataKeys {
  readonly webhookSecrets: IKey;
}

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

export class DataStack extends Stack {
  readonly table: Table;
  readonly keys: DataKeys;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.table = new Table(this, 'Table', {
      tableName: tableNameFor(config.stage),
      partitionKey: stringKey(tableDefinition.partitionKey),
      sortKey: stringKey(tableDefinition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType[tableDefinition.streamViewType],
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
      // KMS key `aws/dynamodb`: key use shows in CloudTrail; no key policy to manage.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: config.deletionProtection,
      removalPolicy: config.removalPolicy,
    });
    // Seals webhook signing secrets (envelope encryption; docs/adr/0013-secrets.md).
    const webhookSecrets = new Key(this, 'WebhookSecretsKey', {
      description: `Relay ${config.stage}: seals webhook signing secrets (the API seals, only the delivery task opens)`,
      alias: `alias/relay-${config.stage}/webhook-secrets`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
      // Held for 30 days before a deletion completes (the longest AWS allows).
      pendingWindow: Duration.days(30),
    });
    this.keys = { webhookSecrets };
    for (const index of tableDefinition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
      });
    }
  }
}
