/**
 * fast-check arbitraries derived from a route's zod schemas: "valid-ish" values that follow the
 * schema's shape, types, enums, lengths, ranges and patterns (so most of them pass validation and
 * reach the domain and the table), read from zod 4's definitions (`schema._zod.def`). Refinements
 * (`custom` checks) are not modelled, so some values are rejected: the fuzz suite wants both.
 */
import fc from 'fast-check';
import * as z from 'zod/mini';
import { ulidArb } from '../unit/support/arbitraries.ts';

/** Values the generator reuses where a schema asks for an identifier (known records, mostly). */
export interface ZodArbitraryOptions {
  /** ULIDs to prefer for `Id` fields and path ids (records that exist). */
  ids?: readonly string[];
  /** Nesting budget for open values (`unknown`, records). */
  depth?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: zod 4's internal definitions are untyped here
type Def = Record<string, any>;

const defOf = (schema: z.ZodMiniType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

interface Checks {
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  int: boolean;
  pattern?: RegExp;
}

const checksOf = (def: Def): Checks => {
  const found: Checks = { int: false };
  for (const check of (def.checks ?? []) as Array<{ _zod: { def: Def } }>) {
    const c = check._zod.def;
    if (c.check === 'min_length') found.minLength = c.minimum;
    if (c.check === 'max_length') found.maxLength = c.maximum;
    if (c.check === 'length_equals') {
      found.minLength = c.length;
      found.maxLength = c.length;
    }
    if (c.check === 'greater_than') found.min = c.value;
    if (c.check === 'less_than') found.max = c.value;
    if (c.check === 'number_format' && /int/.test(String(c.format))) found.int = true;
    if (c.check === 'string_format' && c.pattern instanceof RegExp) found.pattern = c.pattern;
  }
  return found;
};

const ULID_SOURCE = '^[0-9A-HJKMNP-TV-Z]{26}$';

/** A past instant (2020 … a minute ago), in the offset forms the API accepts. */
const dateTimeArb = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.date({
        min: new Date('2020-01-01T00:00:00.000Z'),
        max: new Date(Date.now() - 60_000),
        noInvalidDate: true,
      }),
      fc.boolean(),
    )
    .map(([date, utc]) => (utc ? date.toISOString() : date.toISOString().replace('Z', '+00:00')));

/** Fits `s` into [minLength, maxLength] by repeating and cutting (no filters: they can starve). */
const fitLength = (s: string, minLength: number, maxLength: number): string => {
  let out = s === '' && minLength > 0 ? 'x' : s;
  while (out.length < minLength) out += out;
  return out.slice(0, Math.max(minLength, Math.min(out.length, maxLength)));
};

const textArb = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]*$/, { size: 'small' }),
      fc.string({ unit: 'grapheme', maxLength: Math.min(maxLength, 40) }),
    )
    .map((s) => fitLength(s, minLength, maxLength));

/** `fc.stringMatching`, with lookarounds (which it cannot generate) dropped from the pattern. */
const matching = (pattern: RegExp): fc.Arbitrary<string> => {
  try {
    return fc.stringMatching(pattern, { size: 'small' });
  } catch {
    const simpler = new RegExp(pattern.source.replace(/\(\?<?[=!][^)]*\)/g, ''), pattern.flags);
    return fc.stringMatching(simpler, { size: 'small' });
  }
};

/** The schema's documented example (`.meta({ example })`), if any. */
const exampleOf = (schema: z.ZodMiniType): unknown =>
  (z.globalRegistry.get(schema) as { example?: unknown } | undefined)?.example;

const stringArb = (schema: z.ZodMiniType, def: Def, options: ZodArbitraryOptions): fc.Arbitrary<string> => {
  const generated = generatedString(def, options);
  // Ids come from the records that exist (the documented example id exists nowhere).
  if (checksOf(def).pattern?.source === ULID_SOURCE) return generated;
  const example = exampleOf(schema);
  // A refined string (time zone, locale…) is rarely hit at random: use its example most of the time.
  return typeof example === 'string'
    ? fc.oneof({ weight: 3, arbitrary: fc.constant(example) }, generated)
    : generated;
};

const generatedString = (def: Def, options: ZodArbitraryOptions): fc.Arbitrary<string> => {
  const checks = checksOf(def);
  const minLength = checks.minLength ?? 0;
  const maxLength = checks.maxLength ?? 200;
  if (def.format === 'email') {
    return fc.oneof(
      {
        weight: 3,
        arbitrary: fc.stringMatching(/^[a-z]{1,12}\.[a-z0-9]{1,8}$/).map((local) => `${local}@example.com`),
      },
      fc.emailAddress(),
    );
  }
  if (def.format === 'datetime') return dateTimeArb();
  if (def.format === 'url') {
    return fc.oneof(
      fc.constantFrom('https://hooks.example.com/relay', 'https://example.org/in'),
      fc.webUrl(),
    );
  }
  if (checks.pattern) {
    if (checks.pattern.source === ULID_SOURCE) {
      return options.ids?.length ? fc.oneof(fc.constantFrom(...options.ids), ulidArb()) : ulidArb();
    }
    return matching(checks.pattern).map((s) => fitLength(s, minLength, maxLength));
  }
  return textArb(minLength, maxLength);
};

const numberArb = (def: Def): fc.Arbitrary<number> => {
  const checks = checksOf(def);
  const min = Math.max(checks.min ?? -1e6, -Number.MAX_SAFE_INTEGER);
  const max = Math.min(checks.max ?? 1e6, Number.MAX_SAFE_INTEGER);
  const ints = fc.oneof(
    fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, Math.max(min, 0) + 1000)) }),
    fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
  );
  if (checks.int) return ints;
  // Decimals with two places (money), inside the range.
  const cents = fc
    .integer({ min: Math.ceil(min * 100), max: Math.floor(Math.min(max, 1e13) * 100) })
    .map((n) => n / 100);
  return fc.oneof(ints, cents);
};

const isOptional = (schema: z.ZodMiniType): boolean => {
  const type = defOf(schema).type;
  return type === 'optional' || type === 'default' || type === 'prefault';
};

/** An open JSON value (for `unknown` fields and records of unknown). */
const jsonArb = (depth: number): fc.Arbitrary<unknown> =>
  depth <= 0
    ? fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.boolean(),
        fc.constant(null),
      )
    : fc.oneof(
        { depthSize: 'small' },
        jsonArb(0),
        fc.array(jsonArb(depth - 1), { maxLength: 3 }),
        fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/), jsonArb(depth - 1), { maxKeys: 3 }),
      );

/** A valid-ish value for `schema` (its input side: what a client sends). */
export const arbitraryOf = (
  schema: z.ZodMiniType,
  options: ZodArbitraryOptions = {},
): fc.Arbitrary<unknown> => {
  const def = defOf(schema);
  const depth = options.depth ?? 2;
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodMiniType>;
      const entries = Object.entries(shape);
      const record = Object.fromEntries(entries.map(([key, value]) => [key, arbitraryOf(value, options)]));
      const requiredKeys = entries.filter(([, value]) => !isOptional(value)).map(([key]) => key);
      return fc.record(record, { requiredKeys });
    }
    case 'optional':
    case 'default':
    case 'prefault':
      return fc.option(arbitraryOf(def.innerType, options), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(arbitraryOf(def.innerType, options), { nil: null, freq: 3 });
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return arbitraryOf(def.innerType, options);
    case 'pipe':
      // The client sends the pipe's input (a transform only changes what the server keeps).
      return defOf(def.in).type === 'transform'
        ? arbitraryOf(def.out, options)
        : arbitraryOf(def.in, options);
    case 'lazy':
      return depth <= 0
        ? fc.constant(undefined)
        : arbitraryOf(def.getter(), { ...options, depth: depth - 1 });
    case 'string':
      return stringArb(schema, def, options);
    case 'number':
      return numberArb(def);
    case 'int':
      return fc.integer({ min: -1000, max: 1000 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string | number>));
    case 'array': {
      const checks = checksOf(def);
      const minLength = checks.minLength ?? 0;
      return fc.array(arbitraryOf(def.element, options), {
        minLength,
        maxLength: Math.max(minLength, Math.min(checks.maxLength ?? 3, 3)),
      });
    }
    case 'record': {
      const keys =
        defOf(def.keyType).type === 'string' ? fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,12}$/) : fc.string();
      return fc.dictionary(keys, arbitraryOf(def.valueType, { ...options, depth: depth - 1 }), {
        maxKeys: 3,
      });
    }
    case 'union':
      return fc.oneof(...(def.options as z.ZodMiniType[]).map((option) => arbitraryOf(option, options)));
    case 'intersection':
      return fc
        .tuple(arbitraryOf(def.left, options), arbitraryOf(def.right, options))
        .map(([a, b]) => ({ ...(a as object), ...(b as object) }));
    case 'unknown':
    case 'any':
      return jsonArb(depth);
    default:
      return jsonArb(0);
  }
};

/** `arbitraryOf` for a query schema: every value rendered as the string a query string carries. */
export const queryArbitraryOf = (
  schema: z.ZodMiniType,
  options: ZodArbitraryOptions = {},
): fc.Arbitrary<Record<string, string>> =>
  arbitraryOf(schema, options).map((value) =>
    Object.fromEntries(
      Object.entries((value ?? {}) as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    ),
  );
