/**
 * The credential providers `RelayFunction` leaves out of its bundles (infra/config/bundling.ts)
 * are safe to leave out only while the SDK reaches them through dynamic `import()` after
 * `fromEnv`: this builds a bundle with the deployed esbuild options and fails if any of them
 * became a static import, and checks that the bundle loads and builds a client without them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNREACHED_CREDENTIAL_PROVIDERS } from '#infra/config/bundling';
import { REQUIRE_SHIM } from '../../bench/lib/bundles.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const isExternal = (path: string) =>
  UNREACHED_CREDENTIAL_PROVIDERS.some((name) => path === name || path.startsWith(`${name}/`));

describe('Bundling: credential providers left to the runtime', () => {
  let dir: string;
  let metafile: Metafile;
  let outfile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-bundling-'));
    outfile = join(dir, 'index.mjs');
    const entry = join(dir, 'entry.ts');
    // Every SDK client Relay's functions create, as they create them.
    writeFileSync(
      entry,
      [
        `import { docClient, secretsManagerClient } from '${repoRoot}shared/aws/clients.ts';`,
        `import { sfnClient } from '${repoRoot}shared/aws/sfn.ts';`,
        `import { kmsClient } from '${repoRoot}shared/aws/kms-envelope.ts';`,
        `import { EventBridgeClient } from '@aws-sdk/client-eventbridge';`,
        'export const handler = async () => {',
        '  const clients = [docClient(), sfnClient(), kmsClient(), secretsManagerClient(), new EventBridgeClient({})];',
        '  const credentials = await clients[0].config.credentials();',
        '  return { clients: clients.length, accessKeyId: credentials.accessKeyId };',
        '};',
      ].join('\n'),
    );
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: repoRoot,
      nodePaths: [join(repoRoot, 'node_modules')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      mainFields: ['module', 'main'],
      banner: { js: REQUIRE_SHIM },
      minify: true,
      external: [...UNREACHED_CREDENTIAL_PROVIDERS],
      metafile: true,
      outfile,
      logLevel: 'silent',
    });
    metafile = result.metafile;
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches every one of them only through a dynamic import', () => {
    // Act
    const imports = Object.values(metafile.inputs)
      .flatMap((input) => input.imports)
      .filter((imported) => isExternal(imported.path));

    // Assess
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((imported) => imported.kind !== 'dynamic-import')).toEqual([]);
    expect(
      Object.keys(metafile.inputs).filter((file) => isExternal(file.replace(/.*node_modules\//, ''))),
    ).toEqual([]);
  });

  it('loads and resolves credentials from the environment, as in Lambda, without them', () => {
    // Act: a fresh node with only this bundle and Lambda-style environment credentials.
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(outfile)}); console.log(JSON.stringify(await handler()));`,
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIAEXAMPLELAMBDA',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_SESSION_TOKEN: 'token',
        },
      },
    );

    // Assess
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ clients: 5, accessKeyId: 'AKIAEXAMPLELAMBDA' });
  });
});
