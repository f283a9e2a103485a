/**
 * The ONE composition root for functions: stores and clients wired to the one DynamoDB client
 * from the ONE configuration module (`shared/config.ts`), created lazily once per container and
 * reused across invocations. Each wiring asks only for the configuration it needs and fails fast
 * when a value is missing — there are no empty-value fallbacks.
 */
import { docClient, secretsManagerClient } from '#shared/aws/clients';
import { secretsManagerCursorKeys } from '#shared/aws/cursor-keys';
import { kmsClient, kmsOpener, kmsSealer } from '#shared/aws/kms-envelope';
import { sesClient, sesTemplatePublisher } from '#shared/aws/ses';
import { sfnClient, sfnDeliveryStarter } from '#shared/aws/sfn';
import { config, recycleBinDays, requireConfig, resetConfig } from '#shared/config';
import { createAuditStore } from '#shared/db/audit-store';
import { createCompanyStore } from '#shared/db/company-store';
import { createConsentStore } from '#shared/db/consent-store';
import type { CursorKeys } from '#shared/db/cursor';
import { createCustomerStore } from '#shared/db/customer-store';
import {
  createErasureStore,
  createExportReader,
  type ErasureStore,
  type ExportReader,
} from '#shared/db/erasure-store';
import { createSettingsStore } from '#shared/db/settings-store';
import { createTemplateStore } from '#shared/db/template-store';
import { createWebhookStore } from '#shared/db/webhook-store';
import type { AuditStore } from '#shared/domain/audit/store';
import { type Clock, systemClock } from '#shared/domain/clock';
import type { SecretSealer } from '#shared/domain/common/secrets';
import type { CompanyDeps } from '#shared/domain/companies/service';
import type { CompanyStore } from '#shared/domain/companies/store';
import type { ConsentDeps } from '#shared/domain/consent/service';
import type { CustomerDeps, PrivacyDeps } from '#shared/domain/customers/service';
import type { CustomerStore } from '#shared/domain/customers/store';
import type { SettingsDeps } from '#shared/domain/settings/service';
import type { SettingsStore } from '#shared/domain/settings/store';
import type { TemplateDeps, TemplatePreviewDeps } from '#shared/domain/templates/service';
import type { DeliveryDeps } from '#shared/domain/webhooks/delivery';
import type { DispatchDeps, WebhookDeps } from '#shared/domain/webhooks/service';
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

/** Every lazily built part below, so `resetDeps()` forgets them all. */
const resets: Array<() => void> = [];

/** A part built on first use and reused by every invocation of the container. */
const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  resets.push(() => {
    value = undefined;
  });
  return () => {
    value ??= make();
    return value;
  };
};

/**
 * The cursor key ring of a listing function: read from the secret in `CURSOR_KEYS_SECRET_ID` at
 * the first listing, re-read after its TTL (a rotation needs no deploy), no fallback key.
 */
export const cursorKeys = /* @__PURE__ */ once(
  (): CursorKeys =>
    secretsManagerCursorKeys(
      secretsManagerClient(),
      requireConfig(['cursorKeysSecretId']).cursorKeysSecretId,
    ),
);

// One accessor per store: a function bundles only the stores its routes reach (esbuild drops the
// rest, package.json `sideEffects`), so the audit area does not load the customer store.
const tableName = (): string => config().tableName;
export const customerStore = /* @__PURE__ */ once(() =>
  createCustomerStore(docClient(), tableName(), cursorKeys()),
);
export const companyStore = /* @__PURE__ */ once(() =>
  createCompanyStore(docClient(), tableName(), cursorKeys()),
);
export const settingsStore = /* @__PURE__ */ once(() => createSettingsStore(docClient(), tableName()));
export const webhookStore = /* @__PURE__ */ once(() =>
  createWebhookStore(docClient(), tableName(), cursorKeys()),
);
export const templateStore = /* @__PURE__ */ once(() =>
  createTemplateStore(docClient(), tableName(), cursorKeys()),
);
export const auditStore = /* @__PURE__ */ once(() =>
  createAuditStore(docClient(), tableName(), cursorKeys()),
);
export const consentStore = /* @__PURE__ */ once(() =>
  createConsentStore(docClient(), tableName(), cursorKeys()),
);
const erasureStore = /* @__PURE__ */ once(() => createErasureStore(docClient(), tableName()));
const exportReader = /* @__PURE__ */ once(() => createExportReader(docClient(), tableName(), cursorKeys()));

/** Customers, their timeline and 360 view (`shared/domain/customers/service.ts`). */
export const customerDeps = /* @__PURE__ */ once(
  (): CustomerDeps => ({ customers: customerStore(), settings: settingsStore(), clock: systemClock }),
);

/** The recycle bin, erasure and export use cases of customers. */
export const privacyDeps = /* @__PURE__ */ once(
  (): PrivacyDeps => ({
    ...customerDeps(),
    erasure: erasureStore(),
    exports: exportReader(),
    recycleBinDays: recycleBinDays(),
  }),
);

/** Companies and their contacts. */
export const companyDeps = /* @__PURE__ */ once(
  (): CompanyDeps => ({
    companies: companyStore(),
    customers: customerStore(),
    clock: systemClock,
    recycleBinDays: recycleBinDays(),
  }),
);

/** Subscription types, subscriptions and their ledger, suppressions, the public links. */
export const consentDeps = /* @__PURE__ */ once(
  (): ConsentDeps => ({
    consent: consentStore(),
    customers: customerStore(),
    clock: systemClock,
    tokenKeys: cursorKeys(),
  }),
);

/** Custom attribute settings. */
export const settingsDeps = /* @__PURE__ */ once(
  (): SettingsDeps => ({ settings: settingsStore(), clock: systemClock }),
);

/** Webhook subscriptions and their deliveries (the API side). */
export const webhookDeps = /* @__PURE__ */ once(
  (): WebhookDeps => ({ webhooks: webhookStore(), clock: systemClock, stage: config().stage }),
);

/** Email templates and their SES copies (`relay-<stage>-<id>-v<n>`). */
export const templateDeps = /* @__PURE__ */ once(
  (): TemplateDeps => ({
    templates: templateStore(),
    publisher: sesTemplatePublisher(sesClient()),
    settings: settingsStore(),
    clock: systemClock,
    stage: config().stage,
  }),
);

/** A template preview: the template wiring plus the customer and company stores (read only). */
export const templatePreviewDeps = /* @__PURE__ */ once(
  (): TemplatePreviewDeps => ({ ...templateDeps(), customers: customerStore(), companies: companyStore() }),
);

/** Every store at once (tests and tools; a function asks for the part its routes use). */
export const appDeps = (): Deps => ({
  ...privacyDeps(),
  ...companyDeps(),
  ...webhookDeps(),
  audit: auditStore(),
});

/**
 * Seals new webhook signing secrets (`POST /webhooks`): `kms:GenerateDataKey` on the key in
 * `WEBHOOK_SECRET_KEY_ID`, which only the webhooks area has (it cannot open a secret).
 */
export const webhookSecretSealer = /* @__PURE__ */ once(
  (): SecretSealer => kmsSealer(kmsClient(), requireConfig(['webhookSecretKeyId']).webhookSecretKeyId),
);

/** The webhook store, clock and stage that the workflow tasks and the dispatcher share. */
export type WebhookTaskDeps = Omit<DeliveryDeps, 'secrets'>;

/**
 * Wiring of the webhook workflow tasks and the dispatcher: the webhook store and the stage only
 * (`STAGE`, `TABLE_NAME`). They list nothing through cursors, so they need no cursor keys.
 */
export const deliveryDeps = /* @__PURE__ */ once((): WebhookTaskDeps => {
  const { stage, tableName } = requireConfig(['stage', 'tableName']);
  // No cursor key: delivery and dispatch never list through cursors.
  return { webhooks: createWebhookStore(docClient(), tableName), clock: systemClock, stage };
});

/** The Deliver task's wiring: the task wiring plus the opener (`kms:Decrypt`, this task only). */
export const deliverTaskDeps = /* @__PURE__ */ once(
  (): DeliveryDeps => ({
    ...deliveryDeps(),
    secrets: kmsOpener(kmsClient(), requireConfig(['webhookSecretKeyId']).webhookSecretKeyId),
  }),
);

/** The webhook dispatcher's wiring: the delivery wiring plus the workflow starter (fails fast without its ARN). */
export const dispatchDeps = /* @__PURE__ */ once(
  (): DispatchDeps => ({
    ...deliveryDeps(),
    webhooks: withCachedSubscriptions(deliveryDeps().webhooks, subscriptionCacheTtlMs()),
    starter: sfnDeliveryStarter(
      sfnClient(),
      requireConfig(['webhookStateMachineArn']).webhookStateMachineArn,
    ),
  }),
);

/** Forgets the wiring (tests and the local cloud switch tables between runs). */
export const resetDeps = (): void => {
  for (const reset of resets) reset();
  resetConfig();
};
