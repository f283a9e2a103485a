/**
 * Relay benchmarks (`npm run bench`; not part of `npm test`). Writes bench/results/latest.json and
 * prints a summary. Measures, in one run on this machine:
 *  1. bundles of every area function (what CDK deploys), of every per-route handler file (the
 *     alternative, one function per route) and of a reference that only creates a DynamoDB client,
 *     built exactly as `RelayFunction`/`NodejsFunction` builds them: raw/gzip bytes, esbuild time;
 *  2. cold module init of each bundle in fresh `node` processes (median/p90, ratio to reference);
 *  3. API latency on the local cloud (DynamoDB Local + local API Gateway), p50/p99;
 *  4. DynamoDB requests and consumed RCU/WCU per API operation;
 *  5. with `--synth`, the wall time of `cdk synth -c stage=dev` (skipped if the CDK app fails).
 *
 * Options: --runs N (init processes per bundle, default 10) --requests N (per latency op, 200)
 * --warmup N (20) --samples N (capacity samples per op, 5) --load-seconds N (autocannon per op, 30)
 * --connections N (10) --quick (3/30/5/2, 5 s load) --synth --skip-init --skip-api --out FILE.
 * The run ends with the performance targets (docs/adr/0014-bundle-size.md) and whether they hold.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { areaEntry, areas, routes } from '#shared/routes';
import {
  benchEventPath,
  benchLocalStreamToBus,
  type EventPathBenchResult,
  type LocalStreamBenchResult,
} from './events.ts';
import { type ApiBenchResult, runApiBench } from './lib/api.ts';
import { type BundleResult, type BundleSpec, buildBundles } from './lib/bundles.ts';
import { functionEnv, type InitResult, measureInit } from './lib/cold-init.ts';
import { kb, round, table } from './lib/stats.ts';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string' },
    requests: { type: 'string' },
    warmup: { type: 'string' },
    samples: { type: 'string' },
    quick: { type: 'boolean', default: false },
    synth: { type: 'boolean', default: false },
    'skip-init': { type: 'boolean', default: false },
    'skip-api': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results/latest.json' },
    'load-seconds': { type: 'string' },
    connections: { type: 'string' },
  },
});

const int = (value: string | undefined, fallback: number, quick: number): number => {
  if (value === undefined) return args.quick ? quick : fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got ${value}`);
  return n;
};
const config = {
  initRuns: int(args.runs, 10, 3),
  requests: int(args.requests, 200, 30),
  warmup: int(args.warmup, 20, 5),
  capacitySamples: int(args.samples, 5, 2),
  viewEntries: 30,
  loadSeconds: args['load-seconds'] === '0' ? 0 : int(args['load-seconds'], 30, 5),
  loadConnections: int(args.connections, 10, 10),
};

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const benchStarted = performance.now();

const kebab = (id: string): string => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

// ── what to bundle ─────────────────────────────────────────────────────────────────────────────
const routeEntry = (area: string, id: string) => `functions/http/${area}/${kebab(id)}.ts`;
const specs: BundleSpec[] = [
  { name: 'reference', kind: 'reference', entry: 'bench/fixtures/reference-dynamodb.ts' },
  ...areas.map((area): BundleSpec => ({ name: `area/${area}`, kind: 'area', entry: areaEntry(area), area })),
  ...routes.map(
    (route): BundleSpec => ({
      name: `route/${route.id}`,
      kind: 'route',
      entry: routeEntry(route.area, route.id),
      area: route.area,
      routeId: route.id,
    }),
  ),
];
// Every other function CDK deploys: event/stream/schedule consumers and workflow tasks.
const functionFiles = (dir: string): string[] =>
  readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? functionFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
for (const [dir, kind] of [
  ['functions/events', 'consumer'],
  ['functions/streams', 'consumer'],
  ['functions/schedules', 'consumer'],
  ['functions/auth', 'consumer'],
  ['functions/workflows', 'task'],
] as const) {
  for (const entry of functionFiles(dir)) {
    specs.push({
      name: `${kind}/${entry.replace(/^functions\/[^/]+\//, '').replace(/\.ts$/, '')}`,
      kind,
      entry,
    });
  }
}
const missing = specs.filter((s) => !existsSync(join(repoRoot, s.entry)));
if (missing.length > 0) throw new Error(`route files missing: ${missing.map((s) => s.entry).join(', ')}`);
for (const area of areas) {
  const known = new Set(specs.filter((s) => s.area === area).map((s) => join(repoRoot, s.entry)));
  const dir = join(repoRoot, 'functions', 'http', area);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    if (!known.has(join(dir, file)))
      log(`note: ${relative(repoRoot, join(dir, file))} is not a manifest route`);
  }
}

// ── 1. bundles ─────────────────────────────────────────────────────────────────────────────────
const outRoot = mkdtempSync(join(tmpdir(), 'relay-bench-'));
let bundles: BundleResult[] = [];
let init: InitResult[] = [];
let initSourceMaps: InitResult[] = [];
let api: ApiBenchResult | undefined;
let events: EventPathBenchResult | undefined;
let eventsLocal: LocalStreamBenchResult | undefined;
let synth:
  | { ms: number; lambdaFunctions: number; bundledAssets: number; ok: boolean; error?: string }
  | undefined;
const node = process.execPath;

try {
  log(`bundling ${specs.length} entries with the NodejsFunction esbuild flags…`);
  bundles = buildBundles(repoRoot, outRoot, specs);

  // ── 2. cold init ───────────────────────────────────────────────────────────────────────────
  if (!args['skip-init']) {
    const plain = functionEnv();
    const deployed = functionEnv({ NODE_OPTIONS: '--enable-source-maps' });
    const targets = [
      ...bundles.map((b) => ({ name: b.name, file: b.file, env: plain })),
      ...bundles
        .filter((b) => b.kind !== 'route')
        .map((b) => ({ name: `${b.name}+sourcemaps`, file: b.file, env: deployed })),
    ];
    log(
      `cold init: ${config.initRuns} fresh node processes per target, ${targets.length} targets (${process.version})…`,
    );
    let lastPct = -1;
    const measured = await measureInit(node, targets, config.initRuns, (done, total) => {
      const pct = Math.floor((done / total) * 10);
      if (pct !== lastPct) log(`  ${done}/${total}`);
      lastPct = pct;
    });
    init = measured.filter((r) => !r.name.endsWith('+sourcemaps'));
    initSourceMaps = measured
      .filter((r) => r.name.endsWith('+sourcemaps'))
      .map((r) => ({ ...r, name: r.name.replace(/\+sourcemaps$/, '') }));
  }

  // ── 3/4. API latency and DynamoDB cost ─────────────────────────────────────────────────────
  if (!args['skip-api']) {
    log(`local cloud: ${config.requests} requests per op after ${config.warmup} warm-up…`);
    api = await runApiBench({ ...config, log });
    log('event path: stream records → domain events → PutEvents…');
    events = await benchEventPath();
    log('local event path: DynamoDB Local stream → poller → publisher → local bus, 300 creates…');
    eventsLocal = await benchLocalStreamToBus({ changes: 300 });
  }

  // ── 5. cdk synth ───────────────────────────────────────────────────────────────────────────
  if (args.synth) {
    const out = join(outRoot, 'cdk.out');
    log('cdk synth -c stage=dev …');
    const started = performance.now();
    const result = spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'cdk'),
      ['synth', '-c', 'stage=dev', '-o', out, '--quiet'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      },
    );
    const ms = Math.round(performance.now() - started);
    const bundledAssets = (`${result.stderr ?? ''}`.match(/Bundling asset /g) ?? []).length;
    let lambdaFunctions = 0;
    if (existsSync(out)) {
      for (const file of readdirSync(out).filter((f) => f.endsWith('.template.json'))) {
        const template = JSON.parse(readFileSync(join(out, file), 'utf8')) as {
          Resources?: Record<string, { Type?: string }>;
        };
        lambdaFunctions += Object.values(template.Resources ?? {}).filter(
          (r) => r.Type === 'AWS::Lambda::Function',
        ).length;
      }
    }
    synth =
      result.status === 0
        ? { ms, lambdaFunctions, bundledAssets, ok: true }
        : {
            ms,
            lambdaFunctions,
            bundledAssets,
            ok: false,
            error: `${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n'),
          };
    log(
      synth.ok ? `  synth ${ms} ms, ${lambdaFunctions} Lambda functions` : `  synth failed: ${synth.error}`,
    );
  }
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}

// ── results ──────────────────────────────────────────────────────────────────────────────────
const initOf = (list: InitResult[], name: string) => list.find((r) => r.name === name);
const refInit = initOf(init, 'reference')?.importMs.median;
const refInitSourceMaps = initOf(initSourceMaps, 'reference')?.importMs.median;
const ratio = (value: number | undefined, ref: number | undefined) =>
  value === undefined || !ref ? null : round(value / ref, 2);

const bundleRows = bundles.map((b) => {
  const i = initOf(init, b.name);
  const s = initOf(initSourceMaps, b.name);
  return {
    name: b.name,
    kind: b.kind,
    entry: b.entry,
    ...(b.area ? { area: b.area } : {}),
    ...(b.routeId ? { routeId: b.routeId } : {}),
    bytes: b.bytes,
    gzipBytes: b.gzipBytes,
    mapBytes: b.mapBytes,
    buildMs: b.buildMs,
    topContributors: b.topContributors,
    init: i
      ? {
          medianMs: i.importMs.median,
          p90Ms: i.importMs.p90,
          minMs: i.importMs.min,
          maxMs: i.importMs.max,
          ratioToReference: ratio(i.importMs.median, refInit),
          rssMedianMb: round(i.rssMb.median, 1),
        }
      : null,
    initWithSourceMaps: s
      ? {
          medianMs: s.importMs.median,
          p90Ms: s.importMs.p90,
          ratioToReference: ratio(s.importMs.median, refInitSourceMaps),
        }
      : null,
  };
});

const routesOnly = bundleRows.filter((b) => b.kind === 'route');
const sortedNumbers = (xs: number[]) => [...xs].sort((a, b) => a - b);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const sortedBy = <T>(xs: T[], f: (x: T) => number) => [...xs].sort((a, b) => f(a) - f(b));
const git = (...argv: string[]) => spawnSync('git', argv, { cwd: repoRoot, encoding: 'utf8' }).stdout.trim();

// ── targets (docs/adr/0014-bundle-size.md) ─────────────────────────────────────────────────────
const KB = 1024;
interface Target {
  target: string;
  subject: string;
  value: number | null;
  limit: number;
  ok: boolean | null;
}
const targets: Target[] = [];
const check = (target: string, subject: string, value: number | null | undefined, limit: number) =>
  targets.push({ target, subject, value: value ?? null, limit, ok: value == null ? null : value <= limit });
for (const b of bundleRows.filter((row) => row.kind === 'area')) {
  check('HTTP bundle ≤ 450 KB', b.name, round(b.bytes / KB, 1), 450);
  check('HTTP cold init ≤ 1.3× reference', b.name, b.init?.ratioToReference, 1.3);
}
for (const b of bundleRows.filter((row) => row.kind === 'consumer' || row.kind === 'task')) {
  check('consumer/task cold init ≤ 1.25× reference', b.name, b.init?.ratioToReference, 1.25);
}
for (const o of api?.overhead ?? []) {
  if (o.op === 'get customer')
    check('handler overhead ≤ 1.5× raw GetItem', `GET /customers/{id}`, o.ratioToGetItem, 1.5);
}
const sourceMapCost = (() => {
  const pairs = bundleRows
    .filter((b) => b.kind !== 'route' && b.init && b.initWithSourceMaps)
    .map((b) => (b.initWithSourceMaps?.medianMs ?? 0) / Math.max(b.init?.medianMs ?? 0, 0.001));
  return pairs.length ? round(sortedNumbers(pairs)[Math.floor(pairs.length / 2)] ?? 0, 2) : null;
})();

const results = {
  schema: 2,
  generatedAt: new Date().toISOString(),
  durationSeconds: Math.round((performance.now() - benchStarted) / 1000),
  git: { commit: git('rev-parse', 'HEAD'), workingTreeDirty: git('status', '--porcelain').length > 0 },
  machine: {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    /** 1/5/15-minute load average when the run ended (other work on the machine skews timings). */
    loadAverage: loadavg().map((l) => round(l, 2)),
  },
  config,
  method: {
    bundling:
      'npx --no-install esbuild --bundle <entry> --target=node24 --platform=node --format=esm --outfile=<dir>/index.mjs --minify --sourcemap --sources-content=false --banner:js=<createRequire shim> --main-fields=module,main --external:<the credential providers Lambda never reaches, infra/config/bundling.ts> — the command NodejsFunction runs for RelayFunction; gzip level 9 of index.mjs.',
    init: `Fresh \`${node}\` (${process.version}; Lambda runs Node 24) per sample; performance.now() around import() of the bundle; ${config.initRuns} samples per bundle taken round-robin after one warm-up each. initWithSourceMaps adds NODE_OPTIONS=--enable-source-maps as RelayFunction sets it.`,
  },
  summary: {
    referenceBytes: bundleRows.find((b) => b.kind === 'reference')?.bytes ?? null,
    referenceInitMedianMs: refInit ?? null,
    areas: Object.fromEntries(
      bundleRows
        .filter((b) => b.kind === 'area')
        .map((b) => [
          b.area,
          {
            bytes: b.bytes,
            gzipBytes: b.gzipBytes,
            initMedianMs: b.init?.medianMs ?? null,
            initRatioToReference: b.init?.ratioToReference ?? null,
          },
        ]),
    ),
    routes: routesOnly.length
      ? {
          count: routesOnly.length,
          bytes: {
            min: sortedBy(routesOnly, (b) => b.bytes)[0]?.bytes,
            median: sortedBy(routesOnly, (b) => b.bytes)[Math.floor(routesOnly.length / 2)]?.bytes,
            max: sortedBy(routesOnly, (b) => b.bytes).at(-1)?.bytes,
          },
          initMedianMs: {
            min: sortedBy(routesOnly, (b) => b.init?.medianMs ?? 0)[0]?.init?.medianMs ?? null,
            max: sortedBy(routesOnly, (b) => b.init?.medianMs ?? 0).at(-1)?.init?.medianMs ?? null,
          },
        }
      : null,
    esbuildMsAtSynth: {
      perArea: sum(bundleRows.filter((b) => b.kind === 'area').map((b) => b.buildMs)),
      perRoute: sum(routesOnly.map((b) => b.buildMs)),
    },
    /** Measured synth, and the same synth with the per-area esbuild runs swapped for per-route ones. */
    synthMs: synth?.ok
      ? {
          measured: synth.ms,
          estimatedWithOneFunctionPerRoute:
            synth.ms +
            sum(routesOnly.map((b) => b.buildMs)) -
            sum(bundleRows.filter((b) => b.kind === 'area').map((b) => b.buildMs)),
        }
      : null,
    deployedBytes: {
      perArea: sum(bundleRows.filter((b) => b.kind === 'area').map((b) => b.bytes + b.mapBytes)),
      perRoute: sum(routesOnly.map((b) => b.bytes + b.mapBytes)),
    },
  },
  targets,
  /** Median over bundles of init with --enable-source-maps / init without (what NODE_OPTIONS costs). */
  sourceMapInitRatio: sourceMapCost,
  bundles: bundleRows,
  api: api ?? null,
  events: events ?? null,
  eventsLocal: eventsLocal ?? null,
  synth: synth ?? null,
};

const outFile = resolve(repoRoot, args.out);
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(`${outFile}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
renameSync(`${outFile}.tmp`, outFile);

// ── stdout ───────────────────────────────────────────────────────────────────────────────────
const lines: string[] = [];
lines.push(
  `Relay bench — ${results.generatedAt} — ${results.machine.cpus} × ${results.machine.cpuModel}, node ${process.version}`,
);
lines.push('');
lines.push(
  table(
    ['bundle', 'raw', 'gzip', 'esbuild ms', 'init p50 ms', 'init p90 ms', '× ref', '+srcmaps p50', 'RSS MB'],
    bundleRows.map((b) => [
      b.name,
      kb(b.bytes),
      kb(b.gzipBytes),
      b.buildMs,
      b.init?.medianMs ?? '-',
      b.init?.p90Ms ?? '-',
      b.init?.ratioToReference ?? '-',
      b.initWithSourceMaps?.medianMs ?? '-',
      b.init?.rssMedianMb ?? '-',
    ]),
  ),
);
if (api) {
  lines.push('');
  lines.push(
    table(
      ['API operation (local cloud)', 'n', 'p50 ms', 'p99 ms', 'mean ms', 'DDB calls'],
      api.latency.map((l) => [
        `${l.method} ${l.path}  ${l.op}`,
        l.ms.n,
        l.ms.median,
        l.ms.p99,
        l.ms.mean,
        l.dynamoCallsPerRequest,
      ]),
    ),
  );
  lines.push('');
  lines.push(
    table(
      ['DynamoDB per request', 'calls', 'commands', 'RCU', 'WCU', 'WCU as DDB Local reports'],
      api.cost.map((c) => [
        c.op,
        c.dynamoCalls,
        Object.entries(c.byCommand)
          .map(([k, v]) => `${k}×${v}${c.failedCalls[k] ? ` (${c.failedCalls[k]} failed)` : ''}`)
          .join(' '),
        c.rcu,
        c.wcu,
        c.reportedWcu,
      ]),
    ),
  );
}
if (api) {
  lines.push('');
  lines.push(
    table(
      ['handler overhead', 'p50 ms', '× raw GetItem'],
      [
        [api.baseline.op, api.baseline.ms.median, 1],
        ...api.overhead.map((o) => [
          o.op,
          api.latency.find((l) => l.op === o.op)?.ms.median ?? '-',
          o.ratioToGetItem,
        ]),
      ],
    ),
  );
  if (api.load.length) {
    lines.push('');
    lines.push(
      table(
        [
          'load (autocannon)',
          's',
          'conns',
          'req/s',
          'p50 ms',
          'p99 ms',
          'non-2xx',
          'errors',
          'DDB calls/req',
        ],
        api.load.map((l) => [
          `${l.method} ${l.path}`,
          l.seconds,
          l.connections,
          l.requestsPerSecond,
          l.latencyMs.p50,
          l.latencyMs.p99,
          l.non2xx,
          l.errors,
          l.dynamoCallsPerRequest,
        ]),
      ),
    );
  }
}
lines.push('');
lines.push(
  table(
    ['target', 'subject', 'value', 'limit', 'holds'],
    targets.map((t) => [
      t.target,
      t.subject,
      t.value ?? '-',
      t.limit,
      t.ok === null ? 'not measured' : t.ok ? 'yes' : 'NO',
    ]),
  ),
);
if (sourceMapCost !== null)
  lines.push(`source maps (--enable-source-maps): init × ${sourceMapCost} (median over bundles)`);
if (synth)
  lines.push(
    '',
    `cdk synth -c stage=dev: ${synth.ok ? `${synth.ms} ms, ${synth.lambdaFunctions} functions` : 'failed'}`,
  );
lines.push(
  '',
  `esbuild at synth: areas ${results.summary.esbuildMsAtSynth.perArea} ms, per-route ${results.summary.esbuildMsAtSynth.perRoute} ms`,
);
if (events)
  lines.push(
    '',
    `event path: ${events.putEventsCallsPer100Changes} PutEvents calls per 100 changes (limit 10), ${events.throughput.eventsPerSecond} events/s`,
  );
if (eventsLocal)
  lines.push(
    `local stream → bus: ${eventsLocal.deliveredEvents}/${eventsLocal.expectedEvents} events from ${eventsLocal.changes} creates, ${eventsLocal.eventsPerSecond} events/s end to end, write → delivery p50 ${eventsLocal.latencyMs.p50} ms p99 ${eventsLocal.latencyMs.p99} ms (poll ${eventsLocal.streamPollIntervalMs} ms), ${eventsLocal.putEventsCallsPer100Changes} PutEvents calls per 100 creates`,
  );
lines.push(`wrote ${relative(repoRoot, outFile)} in ${results.durationSeconds} s`);
process.stdout.write(`${lines.join('\n')}\n`);
