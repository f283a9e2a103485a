/**
 * Unit: the local cloud's state files (`infra/local/state-file.ts`) are owner-only, appear whole,
 * and of several processes creating one at the same moment exactly one wins and the others read it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createStateFile, replaceStateFile } from '#infra/local/state-file';

const run = promisify(execFile);
const dirs: string[] = [];
const scratchDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'relay-state-file-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Unit: local state files', () => {
  it('creates a missing file owner-only, and leaves nothing beside it', () => {
    // Arrange
    const dir = scratchDir();
    const file = join(dir, 'nested', 'state.json');

    // Act
    const created = createStateFile(file, '{"a":1}');

    // Assert
    expect(created).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['state.json']);
  });

  it('never overwrites a file another process created first', () => {
    // Arrange
    const dir = scratchDir();
    const file = join(dir, 'state.json');
    writeFileSync(file, 'theirs');

    // Act
    const created = createStateFile(file, 'mine');

    // Assert
    expect(created).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('theirs');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('replaces a file whole and owner-only', () => {
    // Arrange
    const dir = scratchDir();
    const file = join(dir, 'state.json');
    writeFileSync(file, 'old', { mode: 0o644 });

    // Act
    replaceStateFile(file, 'new');

    // Assert
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('lets exactly one of several processes racing to create the file win', async () => {
    // Arrange: six processes that each try to create the same file with their own text
    const dir = scratchDir();
    const file = join(dir, 'state.json');
    const helper = pathToFileURL(join(process.cwd(), 'infra/local/state-file.ts')).href;
    const script = `const { createStateFile } = await import(${JSON.stringify(helper)});
      const text = 'process ' + process.pid;
      process.stdout.write(JSON.stringify({ text, created: createStateFile(${JSON.stringify(file)}, text) }));`;

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
        return JSON.parse(stdout) as { text: string; created: boolean };
      }),
    );

    // Assert: one creator, whose text is the file; the others were told to read it
    const creators = outcomes.filter((outcome) => outcome.created);
    expect(creators).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(creators[0]?.text);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});
