/**
 * The ONE composition root for functions: stores and clients wired to the one DynamoDB client
 * from the ONE configuration module (`shared/config.ts`), created lazily once per container and
 * reused across invocations. Each wiring asks only for the configuration it needs and fails fast
 * when a value is missing — there are no empty-value fallbacks.
 */
import { docClient, secretsManagerClient } from '#shared/aws/clients';
import { secretsManagerCursorKeys } from '#shared/aws/cursor-keys';
import { kmsClient, kmsOpener, kmsSealer } from '#shared/aws/kms-envelope';
import { sfnClient, sfnDeliveryStarter } from '#shared/aws/sfn';
import { config, recycleBinDays, requireConfig, resetConfig } from '#shared/config';
import { createAuditStore } from '#shared/db/audit-store';
import { createCompanyStore } from '#shared/db/company-store';
import type { CursorKeys } from '#shared/db/cursor';
import { createCustomerStore } from '#shared/db/customer-store';
import {
  createErasureStore,
  createExportReader,
  type ErasureStore,
  type ExportReader,
} from '#shared/db/erasure-store';
import { createSettingsStore } from '#shared/db/settings-store';
import { createWebhookStore } from '#shared/db/webhook-store';
import type { AuditStore } from '#shared/domain/audit/store';
import { type Clock, systemClock } from '#shared/domain/clock';
import type { SecretSealer } from '#shared/domain/common/secrets';
import type { CompanyStore } from '#shared/domain/companies/store';
import type { CustomerStore } from '#shared/domain/customers/store';
import type { SettingsStore } from '#shared/domain/settings/store';
import type { DeliveryDeps } from '#shared/domain/webhooks/delivery';
import type { DispatchDeps } from '#shared/domain/webhooks/service';
import type { WebhookStore } from '#shared/domain/webhooks/store';
import { subscriptionCacheTtlMs, withCachedSubscriptions } from '#shared/domain/webhooks/subscription-cache';

export interface Deps {
  customers: CustomerStore;
  erasure: ErasureStore;
  exports: ExportReader;
  recycleBinDays: number;
  companies: CompanyStore;
  settings: SettingsStore;
  webhooks: WebhookStore;
  audit: AuditStore;
  clock: Clock;
  /** Deployment stage (webhook URL rules depend on it). */
  stage: string;
}

let deps: Deps | undefined;
let keys: CursorKeys | undefined;

/**
 * The cursor key ring of a listing function: read from the secret in `CURSOR_KEYS_SECRET_ID` at
 * the first listing, re-read after its TTL (a rotation needs no deploy), no fallback key.
 */
export const cursorKeys = (): CursorKeys => {
  keys ??= secretsManagerCursorKeys(
    secretsManagerClient(),
    requireConfig(['cursorKeysSecretId']).cursorKeysSecretId,
  );
  return keys;
};

export const appDeps = (): Deps => {
  if (!deps) {
    const { tableName, stage } = config();
    const client = docClient();
    const ring = cursorKeys();
    deps = {
      customers: createCustomerStore(client, tableName, ring),
      erasure: createErasureStore(client, tableName),
      exports: createExportReader(client, tableName, ring),
      recycleBinDays: recycleBinDays(),
      companies: createCompanyStore(client, tableName, ring),
      settings: createSettingsStore(client, tableName),
      webhooks: createWebhookStore(client, tableName, ring),
      audit: createAuditStore(client, tableName, ring),
      clock: systemClock,
      stage,
    };
  }
  return deps;
};

let sealer: SecretSealer | undefined;

/**
 * Seals new webhook signing secrets (`POST /webhooks`): `kms:GenerateDataKey` on the key in
 * `WEBHOOK_SECRET_KEY_ID`, which only the webhooks area has (it cannot open a secret).
 */
export const webhookSecretSealer = (): SecretSealer => {
  sealer ??= kmsSealer(kmsClient(), requireConfig(['webhookSecretKeyId']).webhookSecretKeyId);
  return sealer;
};

/** The webhook store, clock and stage that the workflow tasks and the dispatcher share. */
export type WebhookTaskDeps = Omit<DeliveryDeps, 'secrets'>;

let delivery: WebhookTaskDeps | undefined;

/**
 * Wiring of the webhook workflow tasks and the dispatcher: the webhook store and the stage only
 * (`STAGE`, `TABLE_NAME`). They list nothing through cursors, so they need no cursor keys.
 */
export const deliveryDeps = (): WebhookTaskDeps => {
  if (!delivery) {
    const { stage, tableName } = requireConfig(['stage', 'tableName']);
    delivery = {
      // No cursor key: delivery and dispatch never list through cursors.
      webhooks: createWebhookStore(docClient(), tableName),
      clock: systemClock,
      stage,
    };
  }
  return delivery;
};

let deliver: DeliveryDeps | undefined;

/** The Deliver task's wiring: the task wiring plus the opener (`kms:Decrypt`, this task only). */
export const deliverTaskDeps = (): DeliveryDeps => {
  deliver ??= {
    ...deliveryDeps(),
    secrets: kmsOpener(kmsClient(), requireConfig(['webhookSecretKeyId']).webhookSecretKeyId),
  };
  return deliver;
};

let dispatch: DispatchDeps | undefined;

/** The webhook dispatcher's wiring: the delivery wiring plus the workflow starter (fails fast without its ARN). */
export const dispatchDeps = (): DispatchDeps => {
  dispatch ??= {
    ...deliveryDeps(),
    webhooks: withCachedSubscriptions(deliveryDeps().webhooks, subscriptionCacheTtlMs()),
    starter: sfnDeliveryStarter(
      sfnClient(),
      requireConfig(['webhookStateMachineArn']).webhookStateMachineArn,
    ),
  };
  return dispatch;
};

/** Forgets the wiring (tests and the local cloud switch tables between runs). */
export const resetDeps = (): void => {
  deps = undefined;
  keys = undefined;
  delivery = undefined;
  deliver = undefined;
  sealer = undefined;
  dispatch = undefined;
  resetConfig();
};
