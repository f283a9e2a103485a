/**
 * Hostile inputs for the fuzz suite: numbers at and past the edges of JSON, deep nesting, long
 * strings, odd Unicode, prototype keys, wrong types, raw non-JSON and invalid UTF-8 bodies, odd
 * content types and path segments. Bodies are built as a tree that may hold `RawJson` leaves
 * (number texts JSON.stringify cannot write, such as `9007199254740993` or `1e309`) and rendered
 * by `renderJson`.
 */
import fc from 'fast-check';

/** A JSON text inserted verbatim where a value goes. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value tree that may contain `RawJson` leaves (undefined members are dropped). */
export const renderJson = (value: unknown): string => {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : renderJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${renderJson(v)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/** Numbers at and past the edges: huge, tiny, unsafe integers, negative zero, non-numbers as text. */
export const hostileNumberArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    1e300,
    -1e300,
    1e-200,
    -1e-200,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1e12 + 0.01,
    0.1 + 0.2,
    1e-9,
    -1,
    0,
  ),
  fc.constantFrom(
    new RawJson('9007199254740993'),
    new RawJson('-9007199254740993'),
    new RawJson('123456789012345678901234567890'),
    new RawJson('-0'),
    new RawJson('1e309'),
    new RawJson('-1e309'),
    new RawJson('1E-400'),
    new RawJson('0.0000000000000000000000000001'),
    new RawJson('1.00000000000000000000000000001'),
  ),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', '0x10', ' 5', '9007199254740993', '-0'),
  fc.double(),
);

/** Strings no form would send: long, control characters, lone surrogates, bidi, case-mapping traps. */
export const hostileStringArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\uD800',
    '\uDFFF\uD800',
    '\u202E\u2066evil',
    '\u200B\u200D\uFEFF',
    'İ'.repeat(60),
    'ß'.repeat(60),
    'ﬃ'.repeat(40),
    'e\u0301'.repeat(50),
    '👩‍👩‍👧‍👦'.repeat(30),
    '\u2028\u2029',
    '../../etc/passwd',
    '%2F%2E%2E',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    `\${jndi:ldap://x}`,
    '__proto__',
    'constructor',
    'CUS#01JD8X3Q9Z7N6M5K4H3G2F1E0D',
    'EMAIL#a@b.c',
  ),
  fc.integer({ min: 1, max: 5 }).map((n) => 'x'.repeat(10 ** n)),
  fc.integer({ min: 1, max: 20_000 }).map((n) => '€'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 50 }),
);

/** Keys that name Object.prototype members or look like them. */
export const prototypeKeyArb: fc.Arbitrary<string> = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  '__lookupGetter__',
  'toJSON',
  'then',
);

/** Nesting far past what any schema allows (arrays and objects, up to thousands of levels). */
export const deepValueArb: fc.Arbitrary<RawJson> = fc
  .tuple(fc.integer({ min: 10, max: 20_000 }), fc.constantFrom('array', 'object', 'mixed'))
  .map(([depth, kind]) => {
    if (kind === 'array') return new RawJson(`${'['.repeat(depth)}1${']'.repeat(depth)}`);
    if (kind === 'object') return new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    return new RawJson(`${'[{"a":'.repeat(depth)}null${'}]'.repeat(depth)}`);
  });

/** A value of a type no field expects. */
export const wrongTypeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, [], {}, [null], [[]], { '': '' }, 'string', 0),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 2, maxKeys: 3 }),
);

/** Any hostile value. */
export const hostileValueArb: fc.Arbitrary<unknown> = fc.oneof(
  hostileNumberArb,
  hostileStringArb,
  deepValueArb,
  wrongTypeArb,
  prototypeKeyArb.map((key) => ({ [key]: { polluted: true } })),
);

/** One change to a valid-ish body: set (or add) a key somewhere in it to a hostile value. */
export interface Mutation {
  /** Which container of the body (objects and arrays, depth-first) to change, modulo their count. */
  at: number;
  /** An existing key (its index, modulo the count) or a new, hostile key. */
  key: number | string;
  value: unknown;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  key: fc.oneof(
    fc.nat(),
    prototypeKeyArb,
    hostileStringArb.map((s) => s.slice(0, 200)),
  ),
  value: hostileValueArb,
});

const containersOf = (value: unknown, found: Array<Record<string, unknown> | unknown[]> = []) => {
  if (Array.isArray(value)) {
    found.push(value);
    for (const item of value) containersOf(item, found);
  } else if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    found.push(value as Record<string, unknown>);
    for (const item of Object.values(value)) containersOf(item, found);
  }
  return found;
};

/** A deep copy that keeps `RawJson` leaves (structuredClone would turn them into plain objects). */
const copyOf = (value: unknown): unknown => {
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyOf);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, key, {
      value: copyOf(item),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
};

/**
 * `body` with the mutations applied (a deep copy; deterministic for the same inputs). Keys such as
 * `__proto__` are defined as own properties, the way JSON.parse makes them.
 */
export const mutate = (body: unknown, mutations: readonly Mutation[]): unknown => {
  let copy: unknown = copyOf(body);
  for (const { at, key, value: shared } of mutations) {
    // A copy: generated values may be shared instances (a constant `[]`), never to be changed or nested in themselves.
    const value = copyOf(shared);
    const containers = containersOf(copy);
    const target = containers[at % Math.max(containers.length, 1)];
    if (!target) {
      copy = value;
      continue;
    }
    if (Array.isArray(target)) {
      const index = typeof key === 'number' && target.length > 0 ? key % target.length : target.length;
      target[index] = value;
      continue;
    }
    const keys = Object.keys(target);
    const name = typeof key === 'number' ? (keys.length > 0 ? keys[key % keys.length] : 'x') : key;
    Object.defineProperty(target, name ?? 'x', {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
};

/** Request bodies that are not what any route wants, as bytes. */
export const rawBodyArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom(
      '',
      ' ',
      'null',
      'true',
      '0',
      '"text"',
      '[]',
      '{',
      '{"a":',
      '{"a":1,}',
      "{'a':1}",
      'not json',
      '{"a":1}{"b":2}',
      '\uFEFF{}',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      '{"a":1e309}',
      '{"a":9007199254740993}',
      '{"a":-0}',
      '{"version":1e400}',
      '{"a":1,"a":2}',
    )
    .map((text) => Buffer.from(text, 'utf8')),
  fc.constantFrom(
    Buffer.from([0xc3, 0x28]),
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    Buffer.from('{"firstName":"\xc0\xaf"}', 'latin1'),
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
    Buffer.alloc(300 * 1024, 0x20),
    Buffer.from(`{"a":"${'x'.repeat(260 * 1024)}"}`),
  ),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  deepValueArb.map((raw) => Buffer.from(raw.text)),
);

/** Content types a client might (wrongly) declare. */
export const contentTypeArb: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset="UTF-8"',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'application/problem+json',
  'APPLICATION/JSON',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json, text/plain',
  '*/*',
  '',
);

/** Path segments that try to escape or confuse the route template. */
export const hostileSegmentArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2E%2E',
    '%2F',
    'a%2Fb',
    '%252F',
    '%00',
    '%ZZ',
    '%',
    '%E2%82',
    '%C0%AF',
    '%ED%A0%80',
    '%20',
    '__proto__',
    'constructor',
    '01jd8x3q9z7n6m5k4h3g2f1e0d',
    '01JD8X3Q9Z7N6M5K4H3G2F1E0D%00',
    '01JD8X3Q9Z7N6M5K4H3G2F1E0DX',
    '-1',
    '1e309',
    'null',
    'undefined',
    '%F0%9F%92%A9',
  ),
  fc.integer({ min: 27, max: 4000 }).map((n) => 'A'.repeat(n)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
);

/** Query parameter values past the edges. */
export const hostileQueryValueArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '-0',
    '1e309',
    'NaN',
    '0x10',
    ' 5',
    '5 ',
    '1.5',
    '201',
    '9007199254740993',
    '[]',
    '{}',
  ),
  hostileStringArb.map((s) => s.slice(0, 3000)),
);
