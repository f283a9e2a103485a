/**
 * What each stage must synthesize, written out as literals (never read from
 * `infra/config/stages.ts`): a config edit that changes one of these is a reviewed decision that
 * updates this table too, instead of a test that silently follows the config it checks.
 */
import type { StageName } from '#infra/config/stages';

export interface StageLiterals {
  logRetentionDays: number;
  archiveRetentionDays: number;
  recycleBinDays: number;
  auditRetentionDays: number;
  /** Cognito `MfaConfiguration`. */
  mfa: 'ON' | 'OPTIONAL';
  userPoolTier: 'ESSENTIALS' | 'PLUS';
  api5xxThreshold: number;
  throttle: { rateLimit: number; burstLimit: number };
  corsOrigins: string[];
}

export const stageLiterals: Record<StageName, StageLiterals> = {
  dev: {
    logRetentionDays: 7,
    archiveRetentionDays: 7,
    recycleBinDays: 7,
    auditRetentionDays: 90,
    mfa: 'OPTIONAL',
    userPoolTier: 'ESSENTIALS',
    api5xxThreshold: 10,
    throttle: { rateLimit: 50, burstLimit: 100 },
    corsOrigins: ['http://localhost:3000', 'http://localhost:5173'],
  },
  staging: {
    logRetentionDays: 14,
    archiveRetentionDays: 30,
    recycleBinDays: 30,
    auditRetentionDays: 180,
    mfa: 'OPTIONAL',
    userPoolTier: 'ESSENTIALS',
    api5xxThreshold: 5,
    throttle: { rateLimit: 100, burstLimit: 200 },
    corsOrigins: ['https://staging.relay.example.com'],
  },
  prod: {
    logRetentionDays: 90,
    archiveRetentionDays: 365,
    recycleBinDays: 30,
    auditRetentionDays: 400,
    mfa: 'ON',
    userPoolTier: 'PLUS',
    api5xxThreshold: 3,
    throttle: { rateLimit: 500, burstLimit: 1000 },
    corsOrigins: ['https://relay.example.com'],
  },
};
