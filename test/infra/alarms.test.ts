/**
 * Alarm notifications (docs/adr/0007): every stage has one encrypted, TLS-only topic
 * `relay-<stage>-alarms`; every CloudWatch alarm of every stack notifies it on ALARM and OK; email
 * subscriptions exist only when configured, and a malformed address fails synthesis.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/app';
import { alarmEmailsFor, stageConfig, stageNames, validateAlarmEmails } from '#infra/config/stages';
import { alarmTopicName } from '#infra/constructs/alarm-notifications';
import { logicalId, type Resources, type Synthesized, synthesize } from './support/synth.ts';

const ofType = (template: Template, type: string) =>
  Object.entries(template.findResources(type) as Resources);

describe.each(stageNames)('stage %s', (stage) => {
  let s: Synthesized;
  let topicRef: { Ref: string };

  beforeAll(() => {
    s = synthesize(stage, { bundle: false });
    topicRef = {
      Ref: logicalId(s.relay.appStack, s.relay.appStack.alarmNotifications.topic.node.defaultChild),
    };
  });

  it('synthesizes', () => {
    expect(s.synthError).toBeUndefined();
  });

  it(`has one topic named relay-${stage}-alarms, encrypted with a rotated customer-managed key`, () => {
    // Prepare
    const keyId = logicalId(s.relay.appStack, s.relay.appStack.alarmNotifications.key.node.defaultChild);

    // Act
    const topics = ofType(s.app, 'AWS::SNS::Topic');

    // Assess
    expect(topics).toHaveLength(1);
    expect(topics[0]?.[0]).toBe(topicRef.Ref);
    expect(topics[0]?.[1].Properties).toMatchObject({
      TopicName: alarmTopicName(stage),
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    expect(ofType(s.app, 'AWS::KMS::Key').find(([id]) => id === keyId)?.[1].Properties).toMatchObject({
      EnableKeyRotation: true,
    });
  });

  it('lets CloudWatch use the key (an AWS-managed key would silently drop alarm messages)', () => {
    // Act
    const key = s.relay.appStack.alarmNotifications.key;
    const statements = (ofType(s.app, 'AWS::KMS::Key').find(
      ([id]) => id === logicalId(s.relay.appStack, key.node.defaultChild),
    )?.[1].Properties.KeyPolicy ?? { Statement: [] }) as { Statement: Record<string, unknown>[] };

    // Assess
    expect(statements.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
  });

  it('denies publishing without TLS and allows only this account’s CloudWatch alarms to publish', () => {
    // Act
    const policies = ofType(s.app, 'AWS::SNS::TopicPolicy').filter(
      ([, p]) => JSON.stringify(p.Properties.Topics) === JSON.stringify([topicRef]),
    );
    const document = policies[0]?.[1].Properties.PolicyDocument as
      | { Statement: Record<string, unknown>[] }
      | undefined;
    const statements = document?.Statement ?? [];

    // Assess
    expect(policies).toHaveLength(1);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: topicRef,
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sns:Publish',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Condition: expect.objectContaining({
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        }),
      }),
    );
    expect(JSON.stringify(statements)).toContain(':alarm:*');
  });

  it('notifies the topic on ALARM and on OK from every alarm of every stack', () => {
    // Act
    const alarms = [s.data, s.app].flatMap((t) => ofType(t, 'AWS::CloudWatch::Alarm'));
    const composites = [s.data, s.app].flatMap((t) => ofType(t, 'AWS::CloudWatch::CompositeAlarm'));
    const unwired = [...alarms, ...composites]
      .filter(
        ([, a]) =>
          !(a.Properties.AlarmActions as unknown[] | undefined)?.some(
            (x) => JSON.stringify(x) === JSON.stringify(topicRef),
          ) ||
          !(a.Properties.OKActions as unknown[] | undefined)?.some(
            (x) => JSON.stringify(x) === JSON.stringify(topicRef),
          ),
      )
      .map(([id]) => id);

    // Assess: the app has alarms (functions, API, DLQs, iterator age, workflows), all wired.
    expect(alarms.length).toBeGreaterThan(10);
    expect(unwired).toEqual([]);
  });

  it('subscribes nobody by default', () => {
    // Act
    const subscriptions = ofType(s.app, 'AWS::SNS::Subscription');

    // Assess
    expect(stageConfig(stage).alarms.emails).toEqual([]);
    expect(subscriptions).toEqual([]);
  });
});

describe('an alarm added after composition', () => {
  it('is wired to the topic too (the aspect runs at synthesis)', () => {
    // Prepare
    const relay = buildApp('dev', { context: { 'aws:cdk:bundling-stacks': [] } });
    const late = new Alarm(relay.appStack, 'LateAlarm', {
      metric: new Metric({ namespace: 'Relay', metricName: 'Late' }),
      threshold: 1,
      evaluationPeriods: 1,
    });

    // Act
    const template = Template.fromStack(relay.appStack);

    // Assess
    const topicRef = {
      Ref: logicalId(relay.appStack, relay.appStack.alarmNotifications.topic.node.defaultChild),
    };
    expect(
      template.toJSON().Resources[logicalId(relay.appStack, late.node.defaultChild)].Properties,
    ).toMatchObject({
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });
});

describe('alarm email subscriptions', () => {
  it('subscribes each address of the alarmEmails context by email, once', () => {
    // Prepare
    const context = { alarmEmails: 'oncall@example.com, team@example.org,ONCALL@example.com' };

    // Act
    const s = synthesize('prod', { bundle: false, context });

    // Assess
    expect(s.synthError).toBeUndefined();
    const topicRef = {
      Ref: logicalId(s.relay.appStack, s.relay.appStack.alarmNotifications.topic.node.defaultChild),
    };
    const subscriptions = ofType(s.app, 'AWS::SNS::Subscription').map(([, r]) => r.Properties);
    expect(subscriptions).toHaveLength(2);
    expect(subscriptions).toEqual(
      expect.arrayContaining([
        { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: topicRef },
        { Protocol: 'email', Endpoint: 'team@example.org', TopicArn: topicRef },
      ]),
    );
  });

  it('fails the build on a malformed address', () => {
    // Act
    const build = () =>
      buildApp('prod', {
        context: { 'aws:cdk:bundling-stacks': [], alarmEmails: 'oncall@example.com,not-an-email' },
      });

    // Assess
    expect(build).toThrow(/Invalid alarm email "not-an-email"/);
  });

  it.each([
    ['an empty entry', 'a@example.com,'],
    ['a display name', 'On Call <oncall@example.com>'],
    ['no domain dot', 'oncall@localhost'],
    ['two addresses without a comma', 'a@example.com b@example.com'],
  ])('rejects %s', (_, value) => {
    expect(() => alarmEmailsFor(stageConfig('dev'), value)).toThrow(/Invalid alarm email/);
  });

  it('accepts a string array, an empty string (nobody), and falls back to the stage config', () => {
    expect(alarmEmailsFor(stageConfig('dev'), ['a@example.com'])).toEqual(['a@example.com']);
    expect(alarmEmailsFor(stageConfig('dev'), '')).toEqual([]);
    expect(alarmEmailsFor(stageConfig('dev'), undefined)).toEqual([]);
    expect(() => alarmEmailsFor(stageConfig('dev'), 42)).toThrow(/Invalid alarmEmails context/);
    expect(() => validateAlarmEmails(['x'], 'test')).toThrow(/in test/);
  });
});
