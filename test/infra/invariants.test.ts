/**
 * Absolute production invariants of the synthesized templates. Every expected value here is a
 * LITERAL, never read from `infra/config/stages.ts`: a change of the stage config that weakens
 * production (shorter log retention, MFA off, no PITR, a destroyable table or key, an unencrypted
 * queue, a missing alarm) must fail this file, however consistently it is wired.
 *
 * Sources of the literals: README ("Logs", the recycle bin), docs/adr/0005 (the archive: prod 365
 * days), the stage config's documented intent (MFA "REQUIRED where real customer data lives",
 * prod keeps stateful resources, PITR on every stage).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StageName } from '#infra/config/stages';
import { type Resources, type Synthesized, synthesize } from './support/synth.ts';

type Resource = Resources[string];

/** Minimum days any CloudWatch log group keeps its events, per stage where it matters. */
const MIN_LOG_RETENTION_DAYS: Partial<Record<StageName, number>> = { staging: 14, prod: 90 };
/** Minimum days the bus archive keeps every event for replay (docs/adr/0005: prod 365). */
const MIN_ARCHIVE_RETENTION_DAYS: Partial<Record<StageName, number>> = { staging: 30, prod: 365 };

/** Resource types holding data or keys that prod must keep on stack deletion and replacement. */
const RETAINED_IN_PROD = [
  'AWS::DynamoDB::Table',
  'AWS::KMS::Key',
  'AWS::Cognito::UserPool',
  'AWS::SecretsManager::Secret',
  'AWS::Logs::LogGroup',
  'AWS::SQS::Queue',
] as const;

const all = (s: Synthesized): Array<[string, Resource]> => [
  ...Object.entries(s.data.toJSON().Resources as Resources),
  ...Object.entries(s.app.toJSON().Resources as Resources),
];
const ofType = (s: Synthesized, type: string): Array<[string, Resource]> =>
  all(s).filter(([, resource]) => resource.Type === type);

interface AlarmProps {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Array<{ Name: string; Value: unknown }>;
}
const alarmsOf = (s: Synthesized): AlarmProps[] =>
  ofType(s, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties as AlarmProps);
/** Whether an alarm watches `metric` of `namespace` with a dimension pointing at `logicalId`. */
const watches = (alarms: AlarmProps[], namespace: string, metric: string, logicalId: string): boolean =>
  alarms.some(
    (a) =>
      a.Namespace === namespace &&
      a.MetricName === metric &&
      (a.Dimensions ?? []).some((d) => JSON.stringify(d.Value).includes(`"${logicalId}"`)),
  );

describe.each(['staging', 'prod'] as const)(
  'stage %s: invariants on every stage that holds real data',
  (stage) => {
    let s: Synthesized;

    beforeAll(() => {
      s = synthesize(stage, { bundle: false });
    });

    it('synthesizes', () => {
      // Assess
      expect(s.synthError).toBeUndefined();
    });

    it(`keeps every log group for at least ${MIN_LOG_RETENTION_DAYS[stage]} days`, () => {
      // Prepare
      const groups = ofType(s, 'AWS::Logs::LogGroup');

      // Act
      const tooShort = groups
        .map(([id, group]) => [id, group.Properties.RetentionInDays] as const)
        .filter(([, days]) => typeof days !== 'number' || days < (MIN_LOG_RETENTION_DAYS[stage] ?? 0));

      // Assess
      expect(groups.length).toBeGreaterThan(0);
      expect(tooShort).toEqual([]);
    });

    it(`archives every bus event for at least ${MIN_ARCHIVE_RETENTION_DAYS[stage]} days`, () => {
      // Prepare
      const archives = ofType(s, 'AWS::Events::Archive');

      // Assess
      expect(archives).toHaveLength(1);
      for (const [, archive] of archives) {
        expect(archive.Properties.RetentionDays).toBeGreaterThanOrEqual(
          MIN_ARCHIVE_RETENTION_DAYS[stage] ?? 0,
        );
      }
    });

    it('keeps point-in-time recovery and server-side encryption on the table', () => {
      // Prepare
      const tables = ofType(s, 'AWS::DynamoDB::Table');

      // Assess
      expect(tables).toHaveLength(1);
      for (const [, table] of tables) {
        expect(table.Properties.PointInTimeRecoverySpecification).toEqual({
          PointInTimeRecoveryEnabled: true,
        });
        expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true });
      }
    });

    it('encrypts every queue and every topic at rest, topics with a customer-managed KMS key', () => {
      // Prepare
      const queues = ofType(s, 'AWS::SQS::Queue');
      const topics = ofType(s, 'AWS::SNS::Topic');

      // Act
      const plainQueues = queues
        .filter(
          ([, q]) => q.Properties.SqsManagedSseEnabled !== true && q.Properties.KmsMasterKeyId === undefined,
        )
        .map(([id]) => id);
      const topicKeys = topics.map(([, t]) => JSON.stringify(t.Properties.KmsMasterKeyId ?? null));

      // Assess
      expect(queues.length).toBeGreaterThan(0);
      expect(plainQueues).toEqual([]);
      expect(topics.length).toBeGreaterThan(0);
      for (const key of topicKeys) expect(key).toMatch(/Fn::GetAtt.*Arn/);
    });

    it('rotates every KMS key', () => {
      // Prepare
      const keys = ofType(s, 'AWS::KMS::Key');

      // Assess
      expect(keys.length).toBeGreaterThanOrEqual(2);
      for (const [, key] of keys) expect(key.Properties.EnableKeyRotation).toBe(true);
    });

    it('has alarms of every kind production relies on', () => {
      // Prepare
      const kinds = new Set(alarmsOf(s).map((a) => `${a.Namespace} ${a.MetricName}`));

      // Assess
      for (const kind of [
        'AWS/SQS ApproximateNumberOfMessagesVisible',
        'AWS/Lambda Errors',
        'AWS/Lambda Throttles',
        'AWS/Lambda IteratorAge',
        'AWS/ApiGateway 5xx',
        'AWS/States ExecutionsFailed',
        'AWS/States ExecutionsTimedOut',
      ]) {
        expect(kinds, kind).toContain(kind);
      }
    });

    it('alarms on the depth of every queue, errors and throttles of every function, API 5xx, stream lag and failed or timed-out workflows', () => {
      // Prepare
      const alarms = alarmsOf(s);
      const ids = (type: string) => ofType(s, type).map(([id]) => id);

      // Act
      const missing = [
        ...ids('AWS::SQS::Queue')
          .filter((q) => !watches(alarms, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', q))
          .map((q) => `queue depth ${q}`),
        ...ids('AWS::Lambda::Function').flatMap((fn) =>
          ['Errors', 'Throttles']
            .filter((metric) => !watches(alarms, 'AWS/Lambda', metric, fn))
            .map((metric) => `${metric} ${fn}`),
        ),
        ...ids('AWS::ApiGatewayV2::Api')
          .filter((api) => !watches(alarms, 'AWS/ApiGateway', '5xx', api))
          .map((api) => `5xx ${api}`),
        ...ofType(s, 'AWS::Lambda::EventSourceMapping')
          .map(([, mapping]) => (mapping.Properties.FunctionName as { Ref: string }).Ref)
          .filter((fn) => !watches(alarms, 'AWS/Lambda', 'IteratorAge', fn))
          .map((fn) => `IteratorAge ${fn}`),
        ...ids('AWS::StepFunctions::StateMachine').flatMap((machine) =>
          ['ExecutionsFailed', 'ExecutionsTimedOut']
            .filter((metric) => !watches(alarms, 'AWS/States', metric, machine))
            .map((metric) => `${metric} ${machine}`),
        ),
      ];

      // Assess
      expect(ids('AWS::Lambda::Function').length).toBeGreaterThan(5);
      expect(ids('AWS::Lambda::EventSourceMapping').length).toBeGreaterThan(0);
      expect(ids('AWS::StepFunctions::StateMachine').length).toBeGreaterThan(0);
      expect(missing).toEqual([]);
    });
  },
);

describe('stage prod: production only', () => {
  let s: Synthesized;

  beforeAll(() => {
    s = synthesize('prod', { bundle: false });
  });

  it('retains the table, KMS keys, user pool, secrets, log groups and queues on deletion and replacement', () => {
    // Prepare
    const stateful = all(s).filter(([, r]) => (RETAINED_IN_PROD as readonly string[]).includes(r.Type));

    // Act
    const notRetained = stateful
      .filter(([, r]) => r.DeletionPolicy !== 'Retain' || r.UpdateReplacePolicy !== 'Retain')
      .map(([id, r]) => `${r.Type} ${id}: ${String(r.DeletionPolicy)}/${String(r.UpdateReplacePolicy)}`);

    // Assess
    for (const type of RETAINED_IN_PROD) {
      expect(
        stateful.some(([, r]) => r.Type === type),
        type,
      ).toBe(true);
    }
    expect(notRetained).toEqual([]);
  });

  it('protects the table and the user pool from deletion, and both stacks from termination', () => {
    // Prepare
    const [[, table]] = ofType(s, 'AWS::DynamoDB::Table') as [[string, Resource]];
    const [[, pool]] = ofType(s, 'AWS::Cognito::UserPool') as [[string, Resource]];

    // Assess
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    expect(s.relay.data.terminationProtection).toBe(true);
    expect(s.relay.appStack.terminationProtection).toBe(true);
  });

  it('requires MFA for every user, on the PLUS plan (threat protection)', () => {
    // Prepare
    const pools = ofType(s, 'AWS::Cognito::UserPool');

    // Assess
    expect(pools).toHaveLength(1);
    for (const [, pool] of pools) {
      expect(pool.Properties.MfaConfiguration).toBe('ON');
      expect(pool.Properties.UserPoolTier).toBe('PLUS');
    }
  });
});
