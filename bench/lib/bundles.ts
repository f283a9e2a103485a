/**
 * Bundles Lambda entries exactly as CDK's `NodejsFunction` does for `RelayFunction`
 * (`infra/constructs/relay-function.ts`): `npx --no-install esbuild --bundle <entry>` with
 * `--target=node24 --platform=node --format=esm --outfile=…/index.mjs --minify --sourcemap
 * --sources-content=false --banner:js=<createRequire shim> --main-fields=module,main` and
 * `--external:<p>` for the credential providers Lambda never reaches (`infra/config/bundling.ts`);
 * `bundleAwsSDK: true` bundles the rest of `@aws-sdk/*`. `--metafile` is added only to
 * attribute bytes to packages; it does not change the output.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UNREACHED_CREDENTIAL_PROVIDERS } from '#infra/config/bundling';

/** The banner `RelayFunction` passes (ESM bundles that load CommonJS code calling `require`). */
export const REQUIRE_SHIM =
  "import { createRequire as __relayCreateRequire } from 'node:module'; const require = __relayCreateRequire(import.meta.url);";

/** HTTP area and route functions, event/stream/schedule consumers, and workflow tasks. */
export type BundleKind = 'reference' | 'area' | 'route' | 'consumer' | 'task';

export interface BundleSpec {
  name: string;
  kind: BundleKind;
  /** Entry relative to the repository root. */
  entry: string;
  area?: string;
  routeId?: string;
}

export interface BundleResult extends BundleSpec {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** The external source map (`--sourcemap`), deployed in the same asset. */
  mapBytes: number;
  /** Wall time of the esbuild process, as CDK runs it once per NodejsFunction at synth. */
  buildMs: number;
  /** Bytes in the output per npm package (or repository folder), largest first. */
  topContributors: Array<{ source: string; bytes: number }>;
}

const esbuildArgs = (entryPath: string, outDir: string): string[] => [
  '--bundle',
  entryPath,
  '--target=node24',
  '--platform=node',
  '--format=esm',
  `--outfile=${join(outDir, 'index.mjs')}`,
  '--minify',
  '--sourcemap',
  '--sources-content=false',
  `--banner:js=${REQUIRE_SHIM}`,
  '--main-fields=module,main',
  ...UNREACHED_CREDENTIAL_PROVIDERS.map((name) => `--external:${name}`),
];

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

const contributorOf = (input: string): string => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  if (pkg) return pkg;
  const parts = input.replace(/^(\.\.\/)+/, '').split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts.join('/');
};

const contributors = (metafilePath: string): Array<{ source: string; bytes: number }> => {
  const meta = JSON.parse(readFileSync(metafilePath, 'utf8')) as Metafile;
  const totals = new Map<string, number>();
  for (const [file, output] of Object.entries(meta.outputs)) {
    if (!file.endsWith('.mjs')) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const key = contributorOf(input);
      totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()]
    .map(([source, bytes]) => ({ source, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8);
};

/** The command CDK runs when esbuild is a project dependency (`npx --no-install esbuild`). */
const runner = (repoRoot: string): string[] => {
  const probe = spawnSync('npx', ['--no-install', 'esbuild', '--version'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (probe.status === 0) return ['npx', '--no-install', 'esbuild'];
  return [join(repoRoot, 'node_modules', '.bin', 'esbuild')];
};

export const buildBundles = (repoRoot: string, outRoot: string, specs: BundleSpec[]): BundleResult[] => {
  const [command, ...prefix] = runner(repoRoot);
  if (!command) throw new Error('no esbuild runner');
  return specs.map((spec) => {
    const entryPath = join(repoRoot, spec.entry);
    if (!existsSync(entryPath)) throw new Error(`bundle entry ${spec.entry} does not exist`);
    const outDir = join(outRoot, spec.name.replaceAll('/', '__'));
    const metafile = join(outRoot, `${spec.name.replaceAll('/', '__')}.meta.json`);
    const started = performance.now();
    const result = spawnSync(
      command,
      [...prefix, ...esbuildArgs(entryPath, outDir), `--metafile=${metafile}`],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    const buildMs = performance.now() - started;
    if (result.status !== 0) {
      throw new Error(`esbuild failed for ${spec.entry}:\n${result.stderr}`);
    }
    const file = join(outDir, 'index.mjs');
    const code = readFileSync(file);
    return {
      ...spec,
      file,
      bytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      mapBytes: statSync(`${file}.map`).size,
      buildMs: Math.round(buildMs),
      topContributors: contributors(metafile),
    };
  });
};

export interface BuiltBundle {
  spec: BundleSpec;
  file: string;
  /** True when an earlier build in `outRoot` was reused (same flags, no input changed). */
  cached: boolean;
  buildMs: number;
}

interface BuildStamp {
  args: string[];
  /** Every input of the bundle (from its metafile) as `mtimeMs:size`. */
  inputs: Record<string, string>;
}

const stampOf = (path: string): string | undefined => {
  try {
    const stat = statSync(path);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
};

/** Whether the bundle in `outDir` was built with `args` from inputs that have not changed since. */
const isFresh = (repoRoot: string, stampFile: string, args: string[], file: string): boolean => {
  if (!existsSync(stampFile) || !existsSync(file)) return false;
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as BuildStamp;
  if (JSON.stringify(stamp.args) !== JSON.stringify(args)) return false;
  return Object.entries(stamp.inputs).every(([input, seen]) => stampOf(resolve(repoRoot, input)) === seen);
};

const run = (
  command: string,
  args: string[],
  cwd: string,
): Promise<{ status: number | null; stderr: string }> =>
  new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (status) => done({ status, stderr }));
  });

/**
 * The same esbuild command as `buildBundles` (the `NodejsFunction` flags), `concurrency` at a
 * time, reusing a bundle already in `outRoot` when its flags are the same and none of its inputs
 * (per its metafile) changed — for tests that run the deployed bundles (`outRoot` may outlive the
 * run, e.g. a fixed folder under the OS temp dir).
 */
export const buildBundlesInParallel = async (
  repoRoot: string,
  outRoot: string,
  specs: BundleSpec[],
  { concurrency = 2 }: { concurrency?: number } = {},
): Promise<BuiltBundle[]> => {
  const [command, ...prefix] = runner(repoRoot);
  if (!command) throw new Error('no esbuild runner');
  const results: BuiltBundle[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const spec = specs[next++] as BundleSpec;
      const entryPath = join(repoRoot, spec.entry);
      if (!existsSync(entryPath)) throw new Error(`bundle entry ${spec.entry} does not exist`);
      const name = spec.name.replaceAll('/', '__');
      const outDir = join(outRoot, name);
      const file = join(outDir, 'index.mjs');
      const metafile = join(outRoot, `${name}.meta.json`);
      const stampFile = join(outRoot, `${name}.stamp.json`);
      const args = esbuildArgs(entryPath, outDir);
      const started = performance.now();
      if (isFresh(repoRoot, stampFile, args, file)) {
        results.push({ spec, file, cached: true, buildMs: Math.round(performance.now() - started) });
        continue;
      }
      const result = await run(command, [...prefix, ...args, `--metafile=${metafile}`], repoRoot);
      if (result.status !== 0) throw new Error(`esbuild failed for ${spec.entry}:\n${result.stderr}`);
      const meta = JSON.parse(readFileSync(metafile, 'utf8')) as { inputs: Record<string, unknown> };
      const inputs = Object.fromEntries(
        Object.keys(meta.inputs).flatMap((input) => {
          const seen = stampOf(resolve(repoRoot, input));
          return seen === undefined ? [] : [[input, seen]];
        }),
      );
      writeFileSync(stampFile, JSON.stringify({ args, inputs } satisfies BuildStamp));
      results.push({ spec, file, cached: false, buildMs: Math.round(performance.now() - started) });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, specs.length)) }, worker));
  return specs.map((spec) => results.find((r) => r.spec === spec) as BuiltBundle);
};
