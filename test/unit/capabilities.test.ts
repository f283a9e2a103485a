/**
 * The capability structure (docs/adr/0012-capability-modules.md): every route belongs to exactly
 * one capability, ids and route keys are unique, each capability's area function exists and
 * bundles only its own route manifest, the route and rule indexes are derived from the capability
 * list, and the CDK capability index names the same capabilities.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '#events/catalog';
import { rules } from '#events/rules';
import { capabilityConstructs } from '#infra/constructs/capabilities/index';
import { repoRoot } from '#infra/constructs/relay-function';
import { areaEntryOf } from '#shared/capabilities/capability';
import { capabilityData } from '#shared/capabilities/data';
import { capabilities } from '#shared/capabilities/index';
import { configKeys } from '#shared/config';
import { publishedEntities } from '#shared/events/from-stream';
import { areas, routeKey, routes } from '#shared/routes';

const manifestOf = (name: string) => `shared/capabilities/${name}/routes.ts`;

/**
 * Data modules (events, stream mappers, erasure rules) are runtime code by design: the event
 * catalog and the erasure registry read them (shared/capabilities/capability-data.ts).
 */
const isDataModule = (file: string): boolean =>
  /^shared\/capabilities\/(?:[a-z-]+\/data|data|capability-data)\.ts$/.test(file);

/**
 * The system area serves the OpenAPI document of the whole API, so it alone reads the route index
 * (and with it every manifest); any other exception needs a review here.
 */
const readsRouteIndex = new Set(['system']);

/** The repository files an area function's bundle pulls in (esbuild metafile, packages external). */
const bundleInputs = async (entry: string): Promise<string[]> => {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return Object.keys((result.metafile as Metafile).inputs);
};

describe('capabilities', () => {
  it('puts every route in exactly one capability, the one its area names', () => {
    // Prepare
    const owners = new Map<string, string[]>();

    // Act
    for (const capability of capabilities) {
      for (const route of capability.routes) {
        owners.set(route.id, [...(owners.get(route.id) ?? []), capability.name]);
        expect(route.area, route.id).toBe(capability.name);
      }
    }

    // Assess
    expect([...owners.values()].filter((names) => names.length !== 1)).toEqual([]);
    expect([...owners.keys()].sort()).toEqual(routes.map((r) => r.id).sort());
  });

  it('has unique route ids and unique method + path pairs', () => {
    // Prepare
    const ids = routes.map((r) => r.id);
    const keys = routes.map(routeKey);

    // Act / Assess
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('derives the area list and the rules manifest from the capability list', () => {
    // Prepare
    const names = capabilities.map((c) => c.name);

    // Act
    const owned = capabilities.flatMap((c) => c.rules.map((rule) => rule.name));

    // Assess
    expect(areas).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    expect(rules.map((rule) => rule.name)).toEqual(owned);
    expect(new Set(owned).size).toBe(owned.length);
  });

  it('has a function entry and a route manifest file for every capability', () => {
    // Act
    const missing = capabilities
      .flatMap((c) => [areaEntryOf(c.name), manifestOf(c.name)])
      .filter((file) => !existsSync(join(repoRoot, file)));

    // Assess
    expect(missing).toEqual([]);
  });

  it('declares only known configuration, always the stage', () => {
    // Act / Assess
    for (const capability of capabilities) {
      expect(configKeys, capability.name).toEqual(expect.arrayContaining([...capability.config]));
      expect(capability.config, capability.name).toContain('stage');
      if (capability.tableAccess !== 'none')
        expect(capability.config, capability.name).toContain('tableName');
    }
  });

  it('keeps the public routes to the pinned list (making a route public needs a review here)', () => {
    // Act
    const publicRoutes = routes.filter((r) => r.scope === null).map((r) => r.id);

    // Assess
    // The consent links are public by design: a signed, expiring token binds each request to one
    // customer (shared/domain/consent/tokens.ts), as RFC 8058 one-click unsubscribe requires.
    expect(publicRoutes).toEqual([
      'unsubscribeOneClick',
      'preferencePage',
      'savePreferences',
      'health',
      'openapi',
      'docs',
      'docsAsset',
    ]);
  });

  it('collects the data modules of the capabilities that store data, in capability order', () => {
    // Prepare
    const withData = capabilities.filter((c) => c.data !== undefined);

    // Act / Assess: the runtime list (shared/capabilities/data.ts) is the descriptors' own data
    expect(capabilityData.map((d) => d.name)).toEqual(withData.map((c) => c.name));
    for (const capability of withData) {
      expect(capabilityData.find((d) => d.name === capability.name)).toBe(capability.data);
    }
  });

  it('maps each item type in one capability and publishes each detail type from one capability', () => {
    // Act
    const mapped = capabilityData.flatMap((d) => Object.keys(d.streamMappers));
    const published = capabilityData.flatMap((d) => d.events.map((e) => e.detailType));
    const items = capabilityData.flatMap((d) => Object.keys(d.items));

    // Assess
    expect(new Set(mapped).size).toBe(mapped.length);
    expect(new Set(published).size).toBe(published.length);
    expect(new Set(items).size).toBe(items.length);
    expect(catalog.map((e) => e.detailType)).toEqual(published);
    expect([...publishedEntities]).toEqual(mapped);
    // A mapped item type is one the capability also registers for erasure.
    for (const data of capabilityData) {
      for (const entity of Object.keys(data.streamMappers))
        expect(Object.keys(data.items), data.name).toContain(entity);
    }
  });

  it('has one CDK construct per capability, in the same order', () => {
    // Act
    const names = capabilityConstructs.map((construct) => construct.capability.name);

    // Assess
    expect(names).toEqual(capabilities.map((c) => c.name));
  });

  describe('area bundles', () => {
    const inputs = new Map<string, string[]>();

    beforeAll(async () => {
      for (const capability of capabilities) {
        inputs.set(capability.name, await bundleInputs(areaEntryOf(capability.name)));
      }
    }, 60_000);

    it.each(capabilities.map((c) => [c.name] as const))(
      'the %s function bundles its own route manifest',
      (name) => {
        // Act / Assess
        expect(inputs.get(name)).toContain(manifestOf(name));
      },
    );

    it.each(capabilities.filter((c) => !readsRouteIndex.has(c.name)).map((c) => [c.name] as const))(
      'the %s function bundles no other capability, no descriptor and not the route index',
      (name) => {
        // Prepare
        const files = inputs.get(name) ?? [];

        // Act
        const foreign = files.filter(
          (file) =>
            file === 'shared/routes.ts' ||
            file === 'events/rules.ts' ||
            (file.startsWith('shared/capabilities/') && file !== manifestOf(name) && !isDataModule(file)),
        );

        // Assess
        expect(foreign).toEqual([]);
      },
    );
  });
});
