/**
 * Stateful resources of a stage. The table is built from `shared/db/table.ts`, the same object the
 * local cloud creates DynamoDB Local tables from, so key names, indexes, stream and TTL cannot drift.
 * The webhook secrets key lives here too: losing it would make every sealed signing secret
 * unreadable, so it follows the table's removal policy. So does the cursor key ring (a Secrets
 * Manager secret under its own KMS key; docs/adr/0015-cursor-keys.md).
 */
import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig } from '#infra/config/stages';
import { CURRENT_MEMBER, cursorKeysSecretNameFor } from '#shared/aws/cursor-keys';
import { tableDefinition, tableNameFor } from '#shared/db/table';

/** The data stack's keys that capabilities use (each capability construct grants its own use). */
export interface DataKeys {
  readonly webhookSecrets: IKey;
  /** The cursor key ring (JSON, `shared/aws/cursor-keys.ts`); listing areas get `grantRead`. */
  readonly cursorKeys: ISecret;
}

/** Id of the key the secret is generated with; a rotation adds the next one (docs/adr/0015-cursor-keys.md). */
export const INITIAL_CURSOR_KEY_ID = 'k1';

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
    // The cursor key ring: generated at creation in the shape the functions read
    // ({"current":"k1","k1":"<64 random characters>"}), encrypted under its own key.
    const cursorKeysKey = new Key(this, 'CursorKeysKey', {
      description: `Relay ${config.stage}: encrypts the pagination cursor key ring secret`,
      alias: `alias/relay-${config.stage}/cursor-keys`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
      pendingWindow: Duration.days(30),
    });
    const cursorKeys = new Secret(this, 'CursorKeys', {
      secretName: cursorKeysSecretNameFor(config.stage),
      description: `Relay ${config.stage}: AES key ring of the pagination cursors (JSON; rotate by a new version, docs/adr/0015-cursor-keys.md)`,
      encryptionKey: cursorKeysKey,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ [CURRENT_MEMBER]: INITIAL_CURSOR_KEY_ID }),
        generateStringKey: INITIAL_CURSOR_KEY_ID,
        excludePunctuation: true,
        passwordLength: 64,
      },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(cursorKeys).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Cursor key ring: rotated by an operator putting a new secret version (new current key, previous key kept until outstanding cursors expire; docs/adr/0015-cursor-keys.md). Functions re-read the secret every 5 minutes, so no deploy is needed; a rotation Lambda would have to keep the previous key too, which the single-user rotation template does not.',
    });
    this.keys = {
      webhookSecrets,
      // Handed to the app stack as a reference: a grant then adds statements to the reader's role
      // only (GetSecretValue/DescribeSecret, and kms:Decrypt via Secrets Manager), never to this
      // stack's key policy, which would make the data stack depend on the app stack.
      cursorKeys: Secret.fromSecretAttributes(this, 'CursorKeysReference', {
        secretCompleteArn: cursorKeys.secretArn,
        encryptionKey: Key.fromKeyArn(this, 'CursorKeysKeyReference', cursorKeysKey.keyArn),
      }),
    };
    for (const index of tableDefinition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
      });
    }
  }
}
