/**
 * The erasure registry names every item type Relay writes: a new `entity` without an erasure
 * rule fails here. The source tree is scanned for every way an entity name is written.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSectionOf, itemRegistry } from '#shared/domain/privacy/registry';

const ROOT = new URL('../../../', import.meta.url).pathname;

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });

/** `entity: 'x'`, `':entity': 'x'`, and guard helpers called with an entity name. */
const patterns = [
  /\bentity:\s*'([A-Za-z]+)'/g,
  /':entity':\s*'([A-Za-z]+)'/g,
  /claimGuard\([^;]*?'([A-Za-z]+)'\s*,\s*\{/gs,
];

const writtenEntities = (): Map<string, string> => {
  const found = new Map<string, string>();
  for (const file of ['shared', 'functions', 'infra/local'].flatMap(sourceFiles)) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) if (match[1]) found.set(match[1], file);
    }
  }
  return found;
};

describe('Module: erasure registry', () => {
  it('has an erasure rule for every entity the code writes', () => {
    // Act
    const missing = [...writtenEntities()].filter(([entity]) => !Object.hasOwn(itemRegistry, entity));

    // Assess
    expect(missing).toEqual([]);
  });

  it('finds the entities it knows are written (the scan itself works)', () => {
    // Act
    const found = writtenEntities();

    // Assess
    for (const entity of [
      'customer',
      'timelineEntry',
      'order',
      'uniqueEmail',
      'companyContact',
      'customerTombstone',
    ]) {
      expect(found.has(entity), entity).toBe(true);
    }
  });

  it('gives every item that holds customer data a way to erase it, and a reason to every one that does not', () => {
    for (const [entity, item] of Object.entries(itemRegistry)) {
      const rule = item.erasure as { kind: string; reason?: string };
      if (rule.kind === 'none') expect(rule.reason?.length ?? 0, entity).toBeGreaterThan(20);
      else expect(['customerPartition', 'guard', 'link', 'filteredQuery', 'proof']).toContain(rule.kind);
    }
  });

  it('exports every item of the customer partition', () => {
    for (const [entity, item] of Object.entries(itemRegistry)) {
      if (item.erasure.kind === 'customerPartition') expect(exportSectionOf(entity), entity).toBeDefined();
    }
    expect(exportSectionOf('webhook')).toBeUndefined();
    expect(exportSectionOf(42)).toBeUndefined();
  });
});
