/**
 * The fuzz suite's "valid-ish" generator (test/support/zod-arbitrary.ts) reaches the domain: for
 * every route's path, query and body schema, a good share of the values it derives pass the
 * schema (cross-field refinements are not modelled, hence "a share"), so fuzzed requests get past
 * validation into the services and the table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import type { RouteDef } from '#shared/http/route';
import { routes } from '#shared/routes';
import { arbitraryOf, queryArbitraryOf } from '#test/support/zod-arbitrary';

const SAMPLES = 60;

const schemas = (routes as readonly RouteDef[]).flatMap((route) =>
  (['params', 'query', 'body'] as const).flatMap((part) => {
    const schema = route.request?.[part] as z.ZodMiniType | undefined;
    return schema ? [{ name: `${route.id} ${part}`, part, schema }] : [];
  }),
);

describe('Generator: valid-ish values from the route schemas', () => {
  it.each(schemas)('derives values that mostly pass $name', ({ part, schema }) => {
    // Prepare
    const arb = part === 'query' ? queryArbitraryOf(schema) : arbitraryOf(schema);

    // Act
    const values = fc.sample(arb, { numRuns: SAMPLES, seed: 42 });
    const passing = values.filter(
      (value) => schema.safeParse(JSON.parse(JSON.stringify(value ?? {}))).success,
    );

    // Assess
    expect(passing.length, `${passing.length}/${SAMPLES} passed`).toBeGreaterThanOrEqual(SAMPLES * 0.15);
  });
});
