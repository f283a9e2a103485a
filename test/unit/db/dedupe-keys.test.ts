/** Offline key tests for consumers' dedupe records (exact strings, no clash with entity prefixes). */
import { describe, expect, it } from 'vitest';
import { dedupeKey, dedupePartition, prefixes, sortKeys } from '#shared/db/keys';

const EVENT_ID = '0123456789abcdef0123456789abcdef';

describe('Module: keys (dedupe)', () => {
  describe('Constant: prefixes', () => {
    it('pins the dedupe prefix', () => {
      // Assess
      expect(prefixes.dedupe).toBe('DEDUPE#');
    });

    it('clashes with no singleton sort key', () => {
      // Assess
      for (const sk of Object.values(sortKeys)) expect(sk.startsWith(prefixes.dedupe)).toBe(false);
    });
  });

  describe('Function: dedupeKey', () => {
    it('puts one consumer’s records on one partition, keyed by event id', () => {
      // Act
      const key = dedupeKey('flag-serious-complaints', EVENT_ID);

      // Assess
      expect(key).toEqual({ pk: 'DEDUPE#flag-serious-complaints', sk: EVENT_ID });
    });

    it('keeps the same event id apart per consumer', () => {
      // Act
      const a = dedupeKey('dispatch-webhooks', EVENT_ID);
      const b = dedupeKey('flag-serious-complaints', EVENT_ID);

      // Assess
      expect(a.pk).not.toBe(b.pk);
      expect(dedupePartition('dispatch-webhooks')).toBe(a.pk);
    });
  });
});
