/** Offline key tests for the audit log (exact strings, sharding, no clash with other prefixes). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTOR_SHARDS,
  auditActorKeys,
  auditActorShard,
  auditEntryKey,
  configKey,
  configNameOf,
  prefixes,
} from '#shared/db/keys';

describe('Keys: audit log', () => {
  it('files an entry under its entity, ordered by time then audit id', () => {
    // Act
    const key = auditEntryKey('customer', '01JF0000000000000000000001', '2026-12-01T10:00:00.000Z', 'abc');

    // Assess
    expect(key).toEqual({
      pk: 'AUDIT#customer#01JF0000000000000000000001',
      sk: '2026-12-01T10:00:00.000Z#abc',
    });
  });

  it('files an entry under its actor on one of the actor shards', () => {
    // Act
    const keys = auditActorKeys('user', 'sub-1', '2026-12-01T10:00:00.000Z', 'abc');

    // Assess
    expect(keys.gsi1pk).toMatch(/^AUDITBY#user#sub-1#[0-3]$/);
    expect(keys.gsi1sk).toBe('2026-12-01T10:00:00.000Z#abc');
    expect(auditActorShard('system', 'flag-serious-complaint', 2)).toBe(
      'AUDITBY#system#flag-serious-complaint#2',
    );
  });

  it('spreads one actor over every shard and always puts an audit id on the same one', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 32 }), (auditId) => {
        const a = auditActorKeys('user', 'sub-1', '2026-12-01T10:00:00.000Z', auditId).gsi1pk;
        const b = auditActorKeys('user', 'sub-1', '2026-12-02T10:00:00.000Z', auditId).gsi1pk;
        expect(a).toBe(b);
      }),
    );
    const shards = new Set(
      Array.from({ length: 200 }, (_, i) => auditActorKeys('user', 'sub-1', 't', `id-${i}`).gsi1pk),
    );
    expect(shards.size).toBe(AUDIT_ACTOR_SHARDS);
  });

  it('reads the config name back from a config key and nothing from other keys', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z-]{0,30}$/), (name) => {
        expect(configNameOf(configKey(name).pk)).toBe(name);
      }),
    );
    expect(configNameOf('CUS#01JF')).toBeUndefined();
    expect(configNameOf(prefixes.config)).toBeUndefined();
  });

  it('uses prefixes no other prefix starts with', () => {
    const all = Object.entries(prefixes);
    for (const name of ['audit', 'auditByActor'] as const) {
      for (const [other, prefix] of all) {
        if (other === name) continue;
        expect(prefix.startsWith(prefixes[name])).toBe(false);
        expect(prefixes[name].startsWith(prefix)).toBe(false);
      }
    }
  });
});
