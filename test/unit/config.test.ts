/** The one configuration module: per-function keys, validated together, no fallbacks. */
import { afterEach, describe, expect, it } from 'vitest';
import { envNameOf, readConfig, requireConfig, resetConfig } from '#shared/config';

const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:relay-dev/cursor-keys-AbCdEf';

describe('readConfig', () => {
  it('returns exactly the requested keys, read from their variables', () => {
    // Prepare
    const env = { STAGE: 'dev', TABLE_NAME: 'relay-dev', CURSOR_KEYS_SECRET_ID: secretArn };

    // Act
    const config = readConfig(['stage', 'tableName'], env);

    // Assess
    expect(config).toEqual({ stage: 'dev', tableName: 'relay-dev' });
  });

  it('does not need a variable the function did not ask for', () => {
    // Act
    const config = readConfig(['stage', 'tableName'], { STAGE: 'dev', TABLE_NAME: 'relay-dev' });

    // Assess
    expect(config).not.toHaveProperty('cursorKeysSecretId');
  });

  it('names every missing variable in one error, treating empty as missing', () => {
    // Act / Assess
    expect(() =>
      readConfig(['stage', 'tableName', 'cursorKeysSecretId'], { STAGE: 'dev', TABLE_NAME: '' }),
    ).toThrow(
      'Missing required environment variable TABLE_NAME. Missing required environment variable CURSOR_KEYS_SECRET_ID',
    );
  });

  it('reads the cursor key secret by reference, never a key value (no CURSOR_SECRET)', () => {
    // Act
    const config = readConfig(['cursorKeysSecretId'], {
      CURSOR_KEYS_SECRET_ID: secretArn,
      CURSOR_SECRET: 'k'.repeat(64),
    });

    // Assess
    expect(config).toEqual({ cursorKeysSecretId: secretArn });
    expect(envNameOf('cursorKeysSecretId')).toBe('CURSOR_KEYS_SECRET_ID');
  });

  it('maps each key to its environment variable', () => {
    // Act / Assess
    expect(envNameOf('webhookStateMachineArn')).toBe('WEBHOOK_STATE_MACHINE_ARN');
    expect(readConfig(['webhookStateMachineArn'], { WEBHOOK_STATE_MACHINE_ARN: 'arn:x' })).toEqual({
      webhookStateMachineArn: 'arn:x',
    });
  });
});

describe('requireConfig', () => {
  const saved = process.env.STAGE;
  afterEach(() => {
    process.env.STAGE = saved;
    resetConfig();
  });

  it('evaluates once per container until reset', () => {
    // Prepare
    process.env.STAGE = 'first';
    const first = requireConfig(['stage']);
    process.env.STAGE = 'second';

    // Act
    const cached = requireConfig(['stage']);
    resetConfig();
    const fresh = requireConfig(['stage']);

    // Assess
    expect(cached).toBe(first);
    expect(fresh.stage).toBe('second');
  });
});
