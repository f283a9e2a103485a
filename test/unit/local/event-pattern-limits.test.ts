import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  eventPatternSize,
  InvalidEventPatternError,
  MAX_EVENT_PATTERN_CHARS,
  matchesPattern,
  validateEventPattern,
} from '#infra/local/event-pattern';

/**
 * What PutRule accepts and refuses (the EventBridge user guide's comparison operators and the
 * "Event pattern size" quota), one row per operator form.
 */

const on = (matcher: unknown) => ({ detail: { f: [matcher] } });

const accepted: Array<[string, unknown]> = [
  ['exact string', on('x')],
  ['exact number', on(3)],
  ['exact null', on(null)],
  ['prefix', on({ prefix: 'us-' })],
  ['prefix ignoring case', on({ prefix: { 'equals-ignore-case': 'US-' } })],
  ['suffix', on({ suffix: '.png' })],
  ['suffix ignoring case', on({ suffix: { 'equals-ignore-case': '.PNG' } })],
  ['equals-ignore-case', on({ 'equals-ignore-case': 'Alice' })],
  ['wildcard', on({ wildcard: 'dir/*.png' })],
  ['anything-but a string', on({ 'anything-but': 'x' })],
  ['anything-but a number', on({ 'anything-but': 7 })],
  ['anything-but a list of strings', on({ 'anything-but': ['a', 'b'] })],
  ['anything-but a list of numbers', on({ 'anything-but': [1, 2.5] })],
  ['anything-but a prefix', on({ 'anything-but': { prefix: 'us-' } })],
  ['anything-but a list of prefixes', on({ 'anything-but': { prefix: ['us-', 'eu-'] } })],
  ['anything-but a suffix', on({ 'anything-but': { suffix: '.png' } })],
  ['anything-but a list of suffixes', on({ 'anything-but': { suffix: ['.png', '.jpg'] } })],
  ['anything-but equals-ignore-case', on({ 'anything-but': { 'equals-ignore-case': 'x' } })],
  ['anything-but equals-ignore-case list', on({ 'anything-but': { 'equals-ignore-case': ['x', 'Y'] } })],
  ['anything-but a wildcard', on({ 'anything-but': { wildcard: '*/lib/*' } })],
  ['anything-but a wildcard list', on({ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } })],
  ['numeric equals', on({ numeric: ['=', 3] })],
  ['numeric range', on({ numeric: ['>', 0, '<=', 5] })],
  ['exists true', on({ exists: true })],
  ['exists false', on({ exists: false })],
  ['cidr IPv4', on({ cidr: '10.0.0.0/24' })],
  ['cidr IPv6', on({ cidr: '2001:db8::/32' })],
  ['$or', { $or: [{ source: ['a'] }, { detail: { f: [1] } }] }],
  [
    'a pattern of exactly the size limit',
    { detail: { f: ['x'.repeat(MAX_EVENT_PATTERN_CHARS - JSON.stringify(on('')).length)] } },
  ],
];

const rejected: Array<[string, unknown, RegExp]> = [
  ['an empty pattern', {}, /non-empty/],
  ['a bare value instead of a list', { source: 'x' }, /array of matchers/],
  ['an empty matcher list', { source: [] }, /empty/],
  ['an unknown operator', on({ contains: 'x' }), /unknown operator/],
  ['two operators in one object', on({ prefix: 'a', suffix: 'b' }), /exactly one operator/],
  ['prefix with a number', on({ prefix: 1 }), /prefix/],
  ['prefix with a list (only anything-but takes lists)', on({ prefix: ['a', 'b'] }), /prefix/],
  ['equals-ignore-case with a number', on({ 'equals-ignore-case': 1 }), /equals-ignore-case/],
  ['wildcard with consecutive stars', on({ wildcard: 'a**b' }), /consecutive/],
  ['anything-but a boolean', on({ 'anything-but': true }), /anything-but/],
  ['anything-but null', on({ 'anything-but': null }), /anything-but/],
  ['anything-but an empty list', on({ 'anything-but': [] }), /anything-but/],
  ['anything-but a mixed list', on({ 'anything-but': ['a', 1] }), /only strings or only numbers/],
  ['anything-but an empty prefix list', on({ 'anything-but': { prefix: [] } }), /empty/],
  ['anything-but a prefix list with a number', on({ 'anything-but': { prefix: ['a', 1] } }), /prefix/],
  ['anything-but an empty suffix list', on({ 'anything-but': { suffix: [] } }), /empty/],
  ['anything-but an empty wildcard list', on({ 'anything-but': { wildcard: [] } }), /empty/],
  ['anything-but exists', on({ 'anything-but': { exists: true } }), /unsupported/],
  ['anything-but numeric', on({ 'anything-but': { numeric: ['>', 1] } }), /unsupported/],
  ['numeric without a number', on({ numeric: ['>', 'x'] }), /numeric/],
  ['numeric with an unknown operator', on({ numeric: ['!=', 1] }), /operator/],
  ['numeric with two lower bounds', on({ numeric: ['>', 1, '>=', 2] }), /lower/],
  ['numeric = with a bound', on({ numeric: ['=', 1, '<', 2] }), /alone/],
  ['an empty numeric range', on({ numeric: ['>', 5, '<', 1] }), /empty/],
  ['exists with a string', on({ exists: 'true' }), /boolean/],
  ['cidr with a bad mask', on({ cidr: '10.0.0.0/33' }), /CIDR/],
  ['$or with one alternative', { $or: [{ source: ['a'] }] }, /\$or/],
  ['$or inside a matcher list', on({ $or: [{ a: [1] }, { b: [2] }] }), /unknown operator/],
  [
    'a pattern one character over the size limit',
    { detail: { f: ['x'.repeat(MAX_EVENT_PATTERN_CHARS - JSON.stringify(on('')).length + 1)] } },
    /2049 characters.*at most 2048/,
  ],
];

describe('Module: event-pattern (what PutRule accepts)', () => {
  it.each(accepted)('accepts %s', (_name, pattern) => {
    // Act + Assess
    expect(() => validateEventPattern(pattern)).not.toThrow();
  });

  it.each(rejected)('rejects %s as InvalidEventPatternException', (_name, pattern, message) => {
    // Act
    let error: unknown;
    try {
      validateEventPattern(pattern);
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(error).toBeInstanceOf(InvalidEventPatternError);
    expect((error as InvalidEventPatternError).name).toBe('InvalidEventPatternException');
    expect((error as InvalidEventPatternError).code).toBe('InvalidEventPatternException');
    expect((error as Error).message).toMatch(message);
  });

  it('counts the size in characters (code points) of the JSON, as the quota does', () => {
    // Arrange: 'é' and '😀' are one character each
    const base = JSON.stringify(on('')).length;
    const fits = on('😀'.repeat(MAX_EVENT_PATTERN_CHARS - base));
    // Act + Assess
    expect(eventPatternSize(fits)).toBe(MAX_EVENT_PATTERN_CHARS);
    expect(() => compilePattern(fits)).not.toThrow();
    expect(() => compilePattern(on('é'.repeat(MAX_EVENT_PATTERN_CHARS - base + 1)))).toThrow(/2049/);
  });
});

// ── list forms against a reference ─────────────────────────────────────────────────────────────

const word = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B', '.', '/'), maxLength: 5 });
const operands = fc.array(word, { minLength: 1, maxLength: 4 });
const value = fc.oneof(word, fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));

/**
 * Reference semantics: an operand excludes only a string it describes; anything-but matches a
 * present value no operand excludes (a number, boolean or null is never excluded by a string form).
 */
const excludedBy = {
  prefix: (v: string, ops: string[]) => ops.some((op) => v.startsWith(op)),
  suffix: (v: string, ops: string[]) => ops.some((op) => v.endsWith(op)),
  'equals-ignore-case': (v: string, ops: string[]) => ops.some((op) => op.toLowerCase() === v.toLowerCase()),
} as const;

describe('Module: event-pattern (anything-but list forms, property)', () => {
  for (const operator of Object.keys(excludedBy) as Array<keyof typeof excludedBy>) {
    it(`anything-but { ${operator}: [..] } excludes a value when any operand would`, () => {
      fc.assert(
        fc.property(operands, value, (ops, v) => {
          // Act
          const matched = matchesPattern(on({ 'anything-but': { [operator]: ops } }), { detail: { f: v } });
          // Assess
          const expected = !(typeof v === 'string' && excludedBy[operator](v, ops));
          expect(matched).toBe(expected);
          // The list is the conjunction of its single-operand forms.
          const each = ops.every((op) =>
            matchesPattern(on({ 'anything-but': { [operator]: op } }), { detail: { f: v } }),
          );
          expect(matched).toBe(each);
        }),
      );
    });
  }

  it('anything-but { wildcard: [..] } is the conjunction of its single wildcards', () => {
    const wildcard = fc
      .string({ unit: fc.constantFrom('a', 'b', '*'), maxLength: 4 })
      .filter((w) => !w.includes('**'));
    fc.assert(
      fc.property(fc.array(wildcard, { minLength: 1, maxLength: 3 }), value, (ops, v) => {
        const matched = matchesPattern(on({ 'anything-but': { wildcard: ops } }), { detail: { f: v } });
        const each = ops.every((op) =>
          matchesPattern(on({ 'anything-but': { wildcard: op } }), { detail: { f: v } }),
        );
        expect(matched).toBe(each);
        // Reference: a wildcard as a regular expression over the whole value.
        const re = (op: string) => new RegExp(`^${op.replace(/[.]/g, '\\.').replaceAll('*', '.*')}$`, 's');
        expect(matched).toBe(!(typeof v === 'string' && ops.some((op) => re(op).test(v))));
      }),
    );
  });

  it('a missing field matches no anything-but list form', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('prefix', 'suffix', 'equals-ignore-case', 'wildcard'),
        operands,
        (operator, ops) => {
          fc.pre(operator !== 'wildcard' || ops.every((op) => !op.includes('**')));
          expect(
            matchesPattern(on({ 'anything-but': { [operator]: ops } }), { detail: { other: 'x' } }),
          ).toBe(false);
        },
      ),
    );
  });
});
