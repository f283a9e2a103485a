/**
 * Cold module initialisation: each sample is a fresh `node` process that `import()`s a bundle and
 * reports `performance.now()` around the import (what Lambda's INIT phase spends loading the
 * handler module before the first invocation), plus the RSS afterwards. Samples are taken
 * round-robin over all targets (after one discarded warm-up run each), so drift in the machine's
 * load spreads evenly instead of favouring whichever bundle ran first.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { type Summary, summarize } from './stats.ts';

const PROBE = `
const url = process.env.BENCH_BUNDLE_URL;
const before = performance.now();
const mod = await import(url);
const after = performance.now();
if (typeof mod.handler !== 'function') throw new Error('bundle has no handler export');
process.stdout.write(JSON.stringify({ bootMs: before, importMs: after - before, rssBytes: process.memoryUsage().rss }));
`;

/** What a Lambda container has at init: configuration only; no request is made while importing. */
export const functionEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  STAGE: 'bench',
  TABLE_NAME: 'relay-bench',
  CURSOR_KEYS_SECRET_ID:
    'arn:aws:secretsmanager:us-east-1:000000000000:secret:relay-bench/cursor-keys-AbCdEf',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  // Never contacted during import; keeps any accidental call (any service) away from real AWS.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  // What CDK sets on consumers and tasks (read at cold start; fail fast when missing).
  AUDIT_RETENTION_DAYS: '90',
  RECYCLE_BIN_DAYS: '30',
  DEDUPE_TTL_DAYS: '7',
  EVENT_BUS_NAME: 'relay-bench',
  WEBHOOK_STATE_MACHINE_ARN:
    'arn:aws:states:us-east-1:000000000000:stateMachine:relay-bench-webhook-delivery',
  WEBHOOK_SECRET_KEY_ID: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000',
  POWERTOOLS_SERVICE_NAME: 'relay',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  ...extra,
});

interface Sample {
  bootMs: number;
  importMs: number;
  rssBytes: number;
}

const runOnce = (node: string, file: string, env: Record<string, string>): Promise<Sample> =>
  new Promise((done, fail) => {
    const child = spawn(node, ['--input-type=module', '-e', PROBE], {
      env: { ...env, BENCH_BUNDLE_URL: pathToFileURL(file).href },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) {
        fail(new Error(`init probe for ${file} exited with ${code}: ${err.slice(-2000)}`));
        return;
      }
      try {
        done(JSON.parse(out) as Sample);
      } catch {
        fail(new Error(`init probe for ${file} printed no result: ${out.slice(0, 500)} ${err.slice(-500)}`));
      }
    });
  });

export interface InitResult {
  name: string;
  importMs: Summary;
  /** Node bootstrap before the import started (same for every bundle; a sanity check). */
  bootMs: Summary;
  rssMb: Summary;
}

export interface InitTarget {
  /** Result key (a bundle may be measured under several environments). */
  name: string;
  file: string;
  env: Record<string, string>;
}

export const measureInit = async (
  node: string,
  targets: InitTarget[],
  runs: number,
  onProgress?: (done: number, total: number) => void,
): Promise<InitResult[]> => {
  for (const target of targets) await runOnce(node, target.file, target.env);
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
  const total = runs * targets.length;
  let count = 0;
  for (let run = 0; run < runs; run++) {
    for (const target of targets) {
      samples.get(target.name)?.push(await runOnce(node, target.file, target.env));
      onProgress?.(++count, total);
    }
  }
  return targets.map((target) => {
    const list = samples.get(target.name) ?? [];
    return {
      name: target.name,
      importMs: summarize(list.map((s) => s.importMs)),
      bootMs: summarize(list.map((s) => s.bootMs)),
      rssMb: summarize(list.map((s) => s.rssBytes / (1024 * 1024))),
    };
  });
};
