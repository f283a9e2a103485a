/**
 * Per-stage configuration: one typed object per stage. Everything a stack or construct varies by
 * stage is read from here (removal, retention, logging, sizing, throttling, CORS, alarms, auth
 * tier), so a stage is reviewed in one place. `stageConfig()` fails fast on an unknown stage.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const stageNames = ['dev', 'staging', 'prod'] as const;
export type StageName = (typeof stageNames)[number];

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export type CorsMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'HEAD';

/** An HTTP API CORS configuration (API Gateway's `CorsConfiguration`), header names lower-case. */
export interface CorsConfig {
  /** Exact origins (`scheme://host[:port]`), or `*`. */
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly CorsMethod[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAge: Duration;
  readonly allowCredentials: boolean;
}

/**
 * What every stage's browser app may send and read: the bearer token, JSON bodies, optimistic
 * concurrency (`if-match` / `etag`), idempotent retries (`idempotency-key` /
 * `idempotent-replayed`), created resources (`location`) and the correlation id.
 */
const apiCors = (allowOrigins: readonly string[]): CorsConfig => ({
  allowOrigins,
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-correlation-id'],
  exposeHeaders: ['etag', 'idempotent-replayed', 'location', 'x-correlation-id'],
  maxAge: Duration.hours(1),
  allowCredentials: false,
});

export interface StageConfig {
  readonly stage: StageName;
  /** Stateful resources (table, log groups, user pool, secret): prod keeps them on stack deletion. */
  readonly removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection (prod only: dev and staging are torn down freely). */
  readonly deletionProtection: boolean;
  /** DynamoDB point-in-time recovery (all stages: restores are rehearsed before prod needs one). */
  readonly pointInTimeRecovery: boolean;
  readonly logRetention: RetentionDays;
  /** `POWERTOOLS_LOG_LEVEL` and the Lambda application log level. */
  readonly logLevel: LogLevel;
  readonly functions: {
    readonly memorySize: number;
    readonly timeout: Duration;
  };
  readonly api: {
    /** Stage-wide default route throttling (requests per second / burst). */
    readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
    /**
     * The HTTP API's CORS configuration (`corsPreflight` in `infra/constructs/http-api.ts`), which
     * the local gateway (`infra/local/cors.ts`) applies the same way.
     */
    readonly cors: CorsConfig;
  };
  readonly auth: {
    /**
     * Cognito feature plan. Pre-token generation V2 (scopes in access tokens) needs at least
     * ESSENTIALS; PLUS adds threat protection (compromised credentials, adaptive auth).
     */
    readonly featurePlan: 'ESSENTIALS' | 'PLUS';
    /** MFA for people: REQUIRED where real customer data lives. */
    readonly mfa: 'OPTIONAL' | 'REQUIRED';
    /** OAuth redirect targets of the web app client. */
    readonly callbackUrls: readonly string[];
    readonly logoutUrls: readonly string[];
  };
  readonly privacy: {
    /** Days a deleted customer stays restorable in the recycle bin before it is purged. */
    readonly recycleBinDays: number;
  };
  readonly events: {
    /** How long the bus archive keeps every event, for replay (see docs/adr/0005). */
    readonly archiveRetention: Duration;
    /** EventBridge delivery to a rule target: retried this long / this often, then the target's DLQ. */
    readonly targetRetry: { readonly maxEventAge: Duration; readonly retryAttempts: number };
    /**
     * Reserved concurrency of each event consumer: caps what a burst (an import, a large send) can
     * take from the account's pool, so the HTTP API keeps its share. Unset where the account's
     * quota is the new-account minimum (10), which cannot reserve any.
     */
    readonly consumerReservedConcurrency?: number;
    /** Lambda's own retries of an event consumer that threw (async invoke, 0–2), then its DLQ. */
    readonly consumerRetry: { readonly maxEventAge: Duration; readonly retryAttempts: number };
    /** Stream publisher: a record older than this goes to the stream DLQ instead of being retried. */
    readonly streamMaxRecordAge: Duration;
    /** Alarm when the stream publisher's iterator age (lag behind the table) reaches this. */
    readonly streamIteratorAgeAlarm: Duration;
  };
  /** Audit log (docs/adr/0009-audit-log.md): entries expire (TTL) this many days after the change. */
  readonly auditRetentionDays: number;
  readonly alarms: {
    /** Alarm when API 5xx responses in one period reach this count. */
    readonly api5xxThreshold: number;
    /** Alarm when a function's errors in one period reach this count. */
    readonly lambdaErrorsThreshold: number;
    /** Alarm when a function is throttled this many times in one period. */
    readonly lambdaThrottlesThreshold: number;
    readonly period: Duration;
    readonly evaluationPeriods: number;
    /**
     * Addresses subscribed (by email) to the stage's alarm topic `relay-<stage>-alarms`, told of
     * every ALARM and OK transition. Empty by default: the topic exists either way, and other
     * subscribers (chat, paging) can be attached to it outside this app. Override at synth time
     * with `-c alarmEmails=a@example.com,b@example.com` (see `alarmEmailsFor`); each address must
     * confirm the subscription email AWS sends before it receives anything.
     */
    readonly emails: readonly string[];
  };
}

const stages: Record<StageName, StageConfig> = {
  dev: {
    stage: 'dev',
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    pointInTimeRecovery: true,
    logRetention: RetentionDays.ONE_WEEK,
    logLevel: 'DEBUG',
    functions: { memorySize: 1024, timeout: Duration.seconds(10) },
    api: {
      throttle: { rateLimit: 50, burstLimit: 100 },
      // Dev servers on this machine: 3000 (React/Next), 4173 (vite preview), 5173 (vite), 8080.
      // Explicit ports, no wildcard: API Gateway matches origins exactly.
      cors: apiCors([
        'http://localhost:3000',
        'http://localhost:4173',
        'http://localhost:5173',
        'http://localhost:8080',
        'http://127.0.0.1:5173',
      ]),
    },
    auth: {
      featurePlan: 'ESSENTIALS',
      mfa: 'OPTIONAL',
      callbackUrls: ['http://localhost:5173/auth/callback'],
      logoutUrls: ['http://localhost:5173/'],
    },
    privacy: { recycleBinDays: 7 },
    events: {
      archiveRetention: Duration.days(7),
      targetRetry: { maxEventAge: Duration.hours(2), retryAttempts: 20 },
      consumerRetry: { maxEventAge: Duration.hours(1), retryAttempts: 2 },
      streamMaxRecordAge: Duration.hours(1),
      streamIteratorAgeAlarm: Duration.minutes(15),
    },
    auditRetentionDays: 90,
    alarms: {
      api5xxThreshold: 10,
      lambdaErrorsThreshold: 10,
      lambdaThrottlesThreshold: 10,
      period: Duration.minutes(5),
      evaluationPeriods: 1,
      emails: [],
    },
  },
  staging: {
    stage: 'staging',
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    pointInTimeRecovery: true,
    logRetention: RetentionDays.TWO_WEEKS,
    logLevel: 'INFO',
    functions: { memorySize: 1024, timeout: Duration.seconds(10) },
    api: {
      throttle: { rateLimit: 100, burstLimit: 200 },
      cors: apiCors(['https://staging.relay.example.com']),
    },
    auth: {
      featurePlan: 'ESSENTIALS',
      mfa: 'OPTIONAL',
      callbackUrls: ['https://staging.relay.example.com/auth/callback'],
      logoutUrls: ['https://staging.relay.example.com/'],
    },
    privacy: { recycleBinDays: 30 },
    events: {
      archiveRetention: Duration.days(30),
      consumerReservedConcurrency: 10,
      targetRetry: { maxEventAge: Duration.hours(24), retryAttempts: 185 },
      consumerRetry: { maxEventAge: Duration.hours(6), retryAttempts: 2 },
      streamMaxRecordAge: Duration.hours(6),
      streamIteratorAgeAlarm: Duration.minutes(5),
    },
    auditRetentionDays: 180,
    alarms: {
      api5xxThreshold: 5,
      lambdaErrorsThreshold: 5,
      lambdaThrottlesThreshold: 5,
      period: Duration.minutes(5),
      evaluationPeriods: 1,
      emails: [],
    },
  },
  prod: {
    stage: 'prod',
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    pointInTimeRecovery: true,
    logRetention: RetentionDays.THREE_MONTHS,
    logLevel: 'INFO',
    functions: { memorySize: 1536, timeout: Duration.seconds(10) },
    api: {
      throttle: { rateLimit: 500, burstLimit: 1000 },
      cors: apiCors(['https://relay.example.com']),
    },
    auth: {
      featurePlan: 'PLUS',
      mfa: 'REQUIRED',
      callbackUrls: ['https://relay.example.com/auth/callback'],
      logoutUrls: ['https://relay.example.com/'],
    },
    privacy: { recycleBinDays: 30 },
    events: {
      archiveRetention: Duration.days(365),
      consumerReservedConcurrency: 25,
      targetRetry: { maxEventAge: Duration.hours(24), retryAttempts: 185 },
      consumerRetry: { maxEventAge: Duration.hours(6), retryAttempts: 2 },
      streamMaxRecordAge: Duration.hours(24),
      streamIteratorAgeAlarm: Duration.minutes(2),
    },
    auditRetentionDays: 400,
    alarms: {
      api5xxThreshold: 3,
      lambdaErrorsThreshold: 3,
      lambdaThrottlesThreshold: 1,
      period: Duration.minutes(5),
      evaluationPeriods: 1,
      emails: [],
    },
  },
};

export const isStageName = (value: string): value is StageName =>
  (stageNames as readonly string[]).includes(value);

/** The configuration of a stage; throws on anything but `dev`, `staging` or `prod`. */
export const stageConfig = (stage: string): StageConfig => {
  if (!isStageName(stage)) {
    throw new Error(`Unknown stage "${stage}": expected one of ${stageNames.join(', ')}`);
  }
  return stages[stage];
};

/** Deliberately simple: one `@`, a dot in the domain, no whitespace, commas or angle brackets. */
const emailPattern = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>".]+$/;

/**
 * Validates alarm email addresses: trims each, rejects an empty entry or anything that is not a
 * plain address (fail fast at synth rather than a subscription AWS can never deliver to), and drops
 * case-insensitive duplicates.
 */
export const validateAlarmEmails = (emails: readonly string[], source: string): readonly string[] => {
  const seen = new Set<string>();
  const valid: string[] = [];
  for (const raw of emails) {
    const email = raw.trim();
    if (!emailPattern.test(email)) {
      throw new Error(`Invalid alarm email ${JSON.stringify(raw)} in ${source}: expected name@domain.tld`);
    }
    if (!seen.has(email.toLowerCase())) {
      seen.add(email.toLowerCase());
      valid.push(email);
    }
  }
  return valid;
};

/**
 * The alarm email addresses of a stage: the `alarmEmails` context if set (a comma-separated string
 * from `-c alarmEmails=a@x.com,b@y.com`, or a string array from cdk.json / tests), else the stage's
 * `alarms.emails`. Throws on a malformed address or a context value of another type.
 */
export const alarmEmailsFor = (config: StageConfig, context: unknown): readonly string[] => {
  if (context === undefined) {
    return validateAlarmEmails(config.alarms.emails, `stage ${config.stage} alarms.emails`);
  }
  const list =
    typeof context === 'string'
      ? context.trim() === ''
        ? []
        : context.split(',')
      : Array.isArray(context) && context.every((e): e is string => typeof e === 'string')
        ? context
        : undefined;
  if (list === undefined) {
    throw new Error(
      `Invalid alarmEmails context ${JSON.stringify(context)}: expected "a@example.com,b@example.com" or a string array`,
    );
  }
  return validateAlarmEmails(list, 'the alarmEmails context');
};
