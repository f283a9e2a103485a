/**
 * Smoke test of the deployed artefacts: every function CDK deploys (enumerated from the app,
 * `support/deployed-functions.ts`) is bundled with the exact esbuild command `RelayFunction` runs
 * (`bench/lib/bundles.ts`: ESM, the createRequire banner, minified, source maps, the unreached
 * credential providers external), and each built `index.mjs` is imported in a fresh Node process
 * — nothing but the bundle, Lambda's `NODE_OPTIONS` and the local cloud's environment — and its
 * handler invoked with a fixture event against the local cloud (DynamoDB Local, the local bus,
 * Step Functions, KMS).
 *
 * Fixtures: an area gets an API Gateway HTTP API v2 event with a JWT authorizer context (admin) for
 * the first GET route of its manifest without path parameters (`test/fixtures/apigw/`), and must
 * answer below 500; every other function needs `test/fixtures/bundles/<entry under functions/>.json`
 * (`{ items?, event, expect }`: `items` are put on the table first; the handler's result must match
 * `expect`, `null` for no result). A 4xx of an area must be a problem+json document. A new
 * function without a fixture fails here.
 *
 * Bundles are cached in the OS temp dir and rebuilt when the flags or any input changed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullScope, roleScopes } from '#shared/auth/roles';
import { configKeys, envNameOf } from '#shared/config';
import { OPENAPI_DOC_PATH } from '#shared/http/openapi-file';
import { type Area, areas, routesOfArea } from '#shared/routes';
import { type BuiltBundle, type BundleSpec, buildBundlesInParallel } from '../../bench/lib/bundles.ts';
import { type DeployedFunction, deployedFunctions } from './support/deployed-functions.ts';
import { startTestCloud, type TestCloud } from './support/local-cloud.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** One cache per checkout (worktrees do not overwrite each other's bundles). */
const cacheDir = join(
  tmpdir(),
  `relay-bundles-smoke-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}`,
);
const run = promisify(execFile);

const functions = deployedFunctions();
const nameOf = (entry: string): string => entry.replace(/^functions\//, '').replace(/\.ts$/, '');
const areaOf = (entry: string): Area | undefined => {
  const area = /^functions\/http\/([^/]+)\/index\.ts$/.exec(entry)?.[1];
  return areas.find((known) => known === area);
};

interface Fixture {
  /** Items put on the table before the call (the state the event presupposes). */
  items?: Record<string, unknown>[];
  event: unknown;
  /** What the handler returns (matched as a subset); `null`: nothing. */
  expect?: unknown;
}

/** An HTTP API v2 event for the area's first GET route without path parameters, as an admin. */
const areaEvent = (area: Area): { event: unknown; route: string } => {
  const routes = routesOfArea(area);
  const route = routes.find((r) => r.method === 'GET' && !r.path.includes('{')) ?? routes[0];
  if (!route) throw new Error(`area ${area} has no routes`);
  return apiEvent(route);
};

/** An HTTP API v2 event for `route` as an admin; path parameters from `params`, else one ULID. */
const apiEvent = (
  route: { method: string; path: string },
  params: Record<string, string> = {},
): { event: unknown; route: string } => {
  const event = JSON.parse(
    readFileSync(join(repoRoot, 'test/fixtures/apigw/http-api-jwt-event.json'), 'utf8'),
  );
  const path = route.path.replaceAll(
    /\{([^}]+)\}/g,
    (_, name: string) => params[name] ?? '01JD8X3Q9Z7N6M5K4H3G2F1E0D',
  );
  const scopes = roleScopes.admin.map(fullScope);
  const routeKey = `${route.method} ${route.path}`;
  Object.assign(event, { routeKey, rawPath: path, rawQueryString: '' });
  if (Object.keys(params).length > 0) event.pathParameters = params;
  else delete event.pathParameters;
  Object.assign(event.requestContext, { routeKey, timeEpoch: Date.now() });
  Object.assign(event.requestContext.http, { method: route.method, path });
  Object.assign(event.requestContext.authorizer.jwt, { scopes });
  Object.assign(event.requestContext.authorizer.jwt.claims, {
    'cognito:groups': '[admin]',
    scope: scopes.join(' '),
  });
  return { event, route: routeKey };
};

const fixtureOf = (fn: DeployedFunction): Fixture & { label: string } => {
  const area = areaOf(fn.entry);
  if (area) {
    const { event, route } = areaEvent(area);
    return { event, label: route };
  }
  const file = join(repoRoot, 'test/fixtures/bundles', `${nameOf(fn.entry)}.json`);
  if (!existsSync(file)) {
    throw new Error(`${fn.entry} is deployed (${fn.paths.join(', ')}) but has no fixture ${file}`);
  }
  return { ...(JSON.parse(readFileSync(file, 'utf8')) as Fixture), label: 'fixture' };
};

/** Imports the bundle in a fresh Node process and calls `handler(event, context)`; prints the result. */
const invokeScript = `
const [file, eventJson, name] = process.argv.slice(1);
const { handler } = await import(file);
const context = {
  functionName: name, functionVersion: '$LATEST', awsRequestId: crypto.randomUUID(),
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + name,
  memoryLimitInMB: '1024', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30000,
};
const result = await handler(JSON.parse(eventJson), context);
process.stdout.write('\\n@@result ' + JSON.stringify(result ?? null) + '\\n');
`;

/** What a function sees: the local cloud's endpoints, credentials and settings, and Lambda's NODE_OPTIONS. */
const functionEnv = (): NodeJS.ProcessEnv => {
  const settings = [
    ...configKeys.map(envNameOf),
    'EVENT_BUS_NAME',
    'AUDIT_RETENTION_DAYS',
    'WEBHOOK_SUBSCRIPTION_CACHE_SECONDS',
  ];
  return {
    PATH: process.env.PATH,
    TZ: 'UTC',
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_SERVICE_NAME: 'relay',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    ...Object.fromEntries(
      Object.entries(process.env).filter(([key]) => key.startsWith('AWS_') || settings.includes(key)),
    ),
  };
};

/**
 * Imports `fn`'s bundle in a fresh process (run from the bundle's folder, no node_modules, the
 * function's assets beside it as CDK copies them) and calls its handler with `event`.
 */
const invoke = async (fn: DeployedFunction, event: unknown): Promise<unknown> => {
  const bundle = bundles.get(fn.entry);
  if (!bundle) throw new Error(`no bundle for ${fn.entry}`);
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', invokeScript, bundle.file, JSON.stringify(event), nameOf(fn.entry)],
    { cwd: join(bundle.file, '..'), env: functionEnv(), timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('@@result '));
  expect(line, `${fn.entry} printed no result:\n${stdout}`).toBeDefined();
  return JSON.parse((line as string).slice('@@result '.length)) as unknown;
};

let cloud: TestCloud;
let bundles: Map<string, BuiltBundle>;
let buildMs = 0;

beforeAll(async () => {
  cloud = await startTestCloud({ rules: [], streamHandler: false, api: false });
  mkdirSync(cacheDir, { recursive: true });
  const specs = functions.map(
    (fn): BundleSpec => ({ name: nameOf(fn.entry), kind: 'consumer', entry: fn.entry }),
  );
  const started = performance.now();
  const built = await buildBundlesInParallel(repoRoot, cacheDir, specs, { concurrency: 2 });
  buildMs = Math.round(performance.now() - started);
  bundles = new Map(built.map((bundle) => [bundle.spec.entry, bundle]));
  // What RelayFunction's afterBundling does: each asset copied next to index.mjs.
  for (const fn of functions) {
    const bundle = bundles.get(fn.entry);
    for (const asset of fn.assets) {
      if (bundle) copyFileSync(join(repoRoot, asset), join(bundle.file, '..', basename(asset)));
    }
  }
}, 180_000);

afterAll(async () => {
  const cached = [...(bundles?.values() ?? [])].filter((b) => b.cached).length;
  process.stderr.write(
    `[bundles-smoke] ${functions.length} bundles in ${buildMs} ms (${cached} from the cache in ${cacheDir})\n`,
  );
  await cloud?.close();
});

describe('built Lambda bundles (the esbuild output CDK deploys)', () => {
  it('covers the functions of every kind CDK deploys', () => {
    // Act
    const kinds = new Set(functions.map((fn) => fn.entry.split('/')[1]));

    // Assess
    expect([...kinds].sort()).toEqual(['auth', 'events', 'http', 'schedules', 'streams', 'workflows']);
    expect(functions.filter((fn) => areaOf(fn.entry)).length).toBe(areas.length);
  });

  it.each(functions.map((fn) => [fn.entry, fn] as const))(
    '%s loads and handles its fixture',
    async (_entry, fn) => {
      // Prepare
      const fixture = fixtureOf(fn);
      for (const item of fixture.items ?? []) {
        await cloud.table.doc.send(new PutCommand({ TableName: cloud.table.tableName, Item: item }));
      }

      // Act: a fresh process with only the bundle (run from its own folder, no node_modules).
      const result = await invoke(fn, fixture.event);

      // Assess
      if (areaOf(fn.entry)) {
        const { statusCode, headers } = result as { statusCode: number; headers?: Record<string, string> };
        expect(statusCode, `${fixture.label} → ${JSON.stringify(result)}`).toBeLessThan(500);
        if (statusCode >= 400) expect(headers?.['content-type']).toBe('application/problem+json');
      } else if (fixture.expect === null) {
        expect(result).toBeNull();
      } else {
        expect(result).toMatchObject(fixture.expect as object);
      }
    },
  );

  it('serves the system function’s copied files: the OpenAPI document and the docs page’s files', async () => {
    // Prepare: the system area's function and its two file routes
    const fn = functions.find((candidate) => areaOf(candidate.entry) === 'system');
    if (!fn) throw new Error('no system area function');
    const byId = (id: string) => {
      const route = routesOfArea('system').find((r) => r.id === id);
      if (!route) throw new Error(`no system route ${id}`);
      return route;
    };

    // Act
    const openapi = (await invoke(fn, apiEvent(byId('openapi')).event)) as {
      statusCode: number;
      body: string;
    };
    const initScript = (await invoke(fn, apiEvent(byId('docsAsset'), { file: 'docs-init.js' }).event)) as {
      statusCode: number;
      body: string;
    };

    // Assess: the files as generated and committed, not rebuilt at run time
    expect(openapi.statusCode).toBe(200);
    expect(JSON.parse(openapi.body)).toEqual(
      JSON.parse(readFileSync(join(repoRoot, OPENAPI_DOC_PATH), 'utf8')),
    );
    expect(initScript.statusCode).toBe(200);
    expect(initScript.body).toBe(readFileSync(join(repoRoot, 'functions/http/system/docs-init.js'), 'utf8'));
  });
});
