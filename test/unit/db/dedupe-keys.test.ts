/** Offline key tests for consumers' dedupe records (exact strings, no clash with entity prefixes). */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEDUPE_SHARDS, dedupeKey, dedupePartition, prefixes, sortKeys } from '#shared/db/keys';

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
    it('puts a consumer’s record on the shard of its event id, keyed by event id', () => {
      // Act
      const key = dedupeKey('flag-serious-complaints', EVENT_ID);

      // Assess
      expect(key).toEqual({ pk: 'DEDUPE#flag-serious-complaints#7', sk: EVENT_ID });
    });

    it('spreads many event ids over every shard, none with twice its share', () => {
      fc.assert(
        fc.property(
          fc.array(fc.stringMatching(/^[0-9a-f]{32}$/), { minLength: 4000, maxLength: 4000 }),
          (ids) => {
            const counts = new Map<string, number>();
            for (const id of ids) {
              const { pk } = dedupeKey('c', id);
              counts.set(pk, (counts.get(pk) ?? 0) + 1);
            }
            expect(counts.size).toBe(DEDUPE_SHARDS);
            expect(Math.max(...counts.values())).toBeLessThan((2 * ids.length) / DEDUPE_SHARDS);
          },
        ),
        { numRuns: 2 },
      );
    });

    it('keeps the same event id apart per consumer', () => {
      // Act
      const a = dedupeKey('dispatch-webhooks', EVENT_ID);
      const b = dedupeKey('flag-serious-complaints', EVENT_ID);

      // Assess
      expect(a.pk).not.toBe(b.pk);
      expect(a.pk.startsWith(`${dedupePartition('dispatch-webhooks', 0).slice(0, -1)}`)).toBe(true);
    });
  });
});
