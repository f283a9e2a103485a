import { describe, expect, it } from 'vitest';
import { attentionFor } from '#shared/domain/timeline/attention';

const OCCURRED_AT = '2026-11-23T12:00:00.000Z';
const complaint = (severity: string) => ({
  type: 'complaint',
  occurredAt: OCCURRED_AT,
  entry: { type: 'complaint', severity, subject: 'Invoice charged twice' },
});

describe('Module: timeline attention rule', () => {
  describe('Function: attentionFor', () => {
    it.each(['high', 'critical'])('flags a %s complaint, since the complaint occurred', (severity) => {
      // Act
      const flag = attentionFor(complaint(severity));

      // Assess
      expect(flag).toEqual({ reason: `${severity} complaint`, since: OCCURRED_AT });
    });

    it.each(['low', 'medium'])('does not flag a %s complaint', (severity) => {
      // Act
      const flag = attentionFor(complaint(severity));

      // Assess
      expect(flag).toBeUndefined();
    });

    it('does not flag other entry types, whatever they carry', () => {
      // Act
      const flag = attentionFor({
        type: 'support_request',
        occurredAt: OCCURRED_AT,
        entry: { severity: 'critical' },
      });

      // Assess
      expect(flag).toBeUndefined();
    });

    it('keeps the subject and other content out of the reason', () => {
      // Act
      const flag = attentionFor(complaint('critical'));

      // Assess
      expect(flag?.reason).not.toContain('Invoice');
    });
  });
});
