/**
 * Writes docs/events.md from the event catalog, the rules manifest and the fixtures, and the
 * schema snapshot of every NEW (detailType, version) into events/schemas/ (`npm run docs:events`).
 * Existing snapshots are never rewritten: a published version is frozen (events/versioning.ts).
 * The contract tests fail when the doc is stale or a snapshot is missing or broken.
 * Everything written is passed through Biome's formatter, so `biome ci` accepts it as generated.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { catalog } from '#events/catalog';
import { EVENTS_DOC_PATH, renderEventsDoc } from '#events/docs';
import { SCHEMAS_DIR, schemaOf, snapshotFileOf } from '#events/versioning';

const root = new URL('../', import.meta.url);
const written: string[] = [EVENTS_DOC_PATH];
writeFileSync(new URL(EVENTS_DOC_PATH, root), renderEventsDoc());
process.stdout.write(`wrote ${EVENTS_DOC_PATH}\n`);
mkdirSync(new URL(SCHEMAS_DIR, root), { recursive: true });
for (const event of catalog) {
  const file = new URL(snapshotFileOf(event), root);
  if (existsSync(file)) continue;
  writeFileSync(file, `${JSON.stringify(schemaOf(event), null, 2)}\n`);
  written.push(snapshotFileOf(event));
  process.stdout.write(`wrote ${snapshotFileOf(event)} (new version)\n`);
}
const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
execFileSync(process.execPath, [biome, 'format', '--write', ...written], {
  cwd: fileURLToPath(root),
  stdio: 'inherit',
});
