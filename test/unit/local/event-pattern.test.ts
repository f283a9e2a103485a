import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rules } from '#events/rules';
import {
  compilePattern,
  InvalidEventPatternError,
  matchesPattern,
  parseIp,
} from '#infra/local/event-pattern';

/**
 * Table tests: the example patterns and events of the Amazon EventBridge user guide
 * ("Creating event patterns", "Content filtering", "Comparison operators", "Matching null values
 * and empty strings", "Arrays in event patterns"), each with events that must and must not match.
 */

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail });

interface Example {
  name: string;
  pattern: Record<string, unknown>;
  matches: unknown[];
  misses: unknown[];
}

const examples: Example[] = [
  {
    name: 'source + detail-type + detail.state (the EC2 termination example)',
    pattern: {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    },
    matches: [ec2Event],
    misses: [
      withDetail({ state: 'running' }),
      { ...ec2Event, source: 'aws.s3' },
      { ...ec2Event, detail: {} },
    ],
  },
  {
    name: 'values in an array are alternatives (OR)',
    pattern: { detail: { state: ['stopped', 'terminated'] } },
    matches: [ec2Event, withDetail({ state: 'stopped' })],
    misses: [withDetail({ state: 'pending' })],
  },
  {
    name: 'arrays in the event: matches when any element matches (resources)',
    pattern: {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    matches: [
      {
        ...ec2Event,
        resources: [
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
          'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        ],
      },
      { ...ec2Event, resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f', 'other'] },
    ],
    misses: [ec2Event, { ...ec2Event, resources: [] }],
  },
  {
    name: 'prefix: "time" starting with 2017-10-02',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    matches: [{ ...ec2Event, time: '2017-10-02T18:43:48Z' }],
    misses: [ec2Event, { ...ec2Event, time: '2017-10-20T18:43:48Z' }],
  },
  {
    name: 'prefix ignoring case: service starts with EventB',
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    matches: [
      withDetail({ service: 'EventBridge' }),
      withDetail({ service: 'EVENTBRIDGE' }),
      withDetail({ service: 'eventbridge' }),
    ],
    misses: [withDetail({ service: 'Lambda' }), withDetail({ service: 'XEventBridge' })],
  },
  {
    name: 'suffix: FileName ends with .png',
    pattern: { FileName: [{ suffix: '.png' }] },
    matches: [{ FileName: 'image.png' }],
    misses: [{ FileName: 'image.PNG' }, { FileName: 'image.png.txt' }, { FileName: 42 }],
  },
  {
    name: 'suffix ignoring case: FileName ends with .png in any casing',
    pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    matches: [
      withDetail({ FileName: 'a.png' }),
      withDetail({ FileName: 'a.PNG' }),
      withDetail({ FileName: 'a.PnG' }),
    ],
    misses: [withDetail({ FileName: 'a.jpg' })],
  },
  {
    name: 'equals-ignore-case on detail-type',
    pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    matches: [ec2Event, { ...ec2Event, 'detail-type': 'EC2 INSTANCE STATE-CHANGE NOTIFICATION' }],
    misses: [{ ...ec2Event, 'detail-type': 'EC2 Instance State-change Notifications' }],
  },
  {
    name: 'anything-but a string',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    matches: [withDetail({ state: 'running' }), ec2Event],
    misses: [withDetail({ state: 'initializing' }), withDetail({})],
  },
  {
    name: 'anything-but a number',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    matches: [withDetail({ 'x-limit': 456 }), withDetail({ 'x-limit': 123.5 })],
    misses: [withDetail({ 'x-limit': 123 }), withDetail({})],
  },
  {
    name: 'anything-but a list of strings',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    matches: [withDetail({ state: 'running' })],
    misses: [withDetail({ state: 'stopped' }), withDetail({ state: 'overloaded' })],
  },
  {
    name: 'anything-but a list of numbers',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    matches: [withDetail({ 'x-limit': 150 })],
    misses: [withDetail({ 'x-limit': 200 }), withDetail({ 'x-limit': 300 })],
  },
  {
    name: 'anything-but a prefix',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    matches: [withDetail({ state: 'running' })],
    misses: [withDetail({ state: 'initializing' }), withDetail({ state: 'init' })],
  },
  {
    name: 'anything-but a suffix',
    pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
    matches: [withDetail({ FileName: 'notes.md' })],
    misses: [withDetail({ FileName: 'notes.txt' })],
  },
  {
    name: 'anything-but ignoring case',
    pattern: {
      detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] },
    },
    matches: [withDetail({ state: 'running' })],
    misses: [withDetail({ state: 'INITIALIZING' }), withDetail({ state: 'Stopped' })],
  },
  {
    name: 'anything-but a wildcard: FilePath not under /lib/',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    matches: [withDetail({ FilePath: 'dir/src/a.ts' })],
    misses: [withDetail({ FilePath: 'dir/lib/a.ts' }), withDetail({ FilePath: '/lib/' })],
  },
  {
    name: 'wildcard: the EventBusArn example',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    matches: [
      { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
      { EventBusArn: 'arn:aws:events:us-east-1::event-bus/' },
    ],
    misses: [{ EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' }],
  },
  {
    name: 'wildcard: dir/*.png, and an escaped star',
    pattern: { detail: { FilePath: [{ wildcard: 'dir/*.png' }], Star: [{ wildcard: 'a\\*b' }] } },
    matches: [
      withDetail({ FilePath: 'dir/fileName.png', Star: 'a*b' }),
      withDetail({ FilePath: 'dir/sub/x.png', Star: 'a*b' }),
    ],
    misses: [
      withDetail({ FilePath: 'dir/fileName.jpg', Star: 'a*b' }),
      withDetail({ FilePath: 'dir/x.png', Star: 'axxb' }),
    ],
  },
  {
    name: 'numeric: the c-count / d-count / x-limit example',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    matches: [withDetail({ 'c-count': 5, 'd-count': 7, 'x-limit': 301.8 })],
    misses: [
      withDetail({ 'c-count': 0, 'd-count': 7, 'x-limit': 301.8 }),
      withDetail({ 'c-count': 6, 'd-count': 7, 'x-limit': 301.8 }),
      withDetail({ 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 }),
      withDetail({ 'c-count': 5, 'd-count': 7, 'x-limit': 301.9 }),
      withDetail({ 'c-count': '5', 'd-count': 7, 'x-limit': 301.8 }),
    ],
  },
  {
    name: 'cidr: source IP in 10.0.0.0/24',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    matches: [withDetail({ sourceIPAddress: '10.0.0.0' }), withDetail({ sourceIPAddress: '10.0.0.255' })],
    misses: [withDetail({ sourceIPAddress: '10.0.1.0' }), withDetail({ sourceIPAddress: 'not-an-ip' })],
  },
  {
    name: 'cidr: IPv6 block',
    pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } },
    matches: [
      withDetail({ sourceIPAddress: '2001:db8::1' }),
      withDetail({ sourceIPAddress: '2001:0db8:ffff::' }),
    ],
    misses: [withDetail({ sourceIPAddress: '2001:db9::1' }), withDetail({ sourceIPAddress: '10.0.0.1' })],
  },
  {
    name: 'exists: true (state present)',
    pattern: { detail: { state: [{ exists: true }] } },
    matches: [ec2Event],
    misses: [withDetail({ 'instance-id': 'i-1' })],
  },
  {
    name: 'exists: false (c-count absent), also when detail itself is absent',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    matches: [ec2Event, { source: 'x' }],
    misses: [withDetail({ 'c-count': 1 })],
  },
  {
    name: 'exists only sees leaf values: an object does not exist as a leaf',
    pattern: { detail: [{ exists: true }] },
    matches: [{ detail: 'text' }],
    misses: [ec2Event],
  },
  {
    name: 'empty string and null are different values',
    pattern: { detail: { eventVersion: [''] } },
    matches: [withDetail({ eventVersion: '', responseElements: null })],
    misses: [withDetail({ eventVersion: null }), withDetail({})],
  },
  {
    name: 'null matches a null value, not a missing field',
    pattern: { detail: { responseElements: [null] } },
    matches: [withDetail({ eventVersion: '', responseElements: null })],
    misses: [withDetail({ responseElements: '' }), withDetail({})],
  },
  {
    name: '$or inside detail (numeric alternatives)',
    pattern: {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    matches: [withDetail({ 'c-count': 3 }), withDetail({ 'd-count': 2 }), withDetail({ 'x-limit': 301.8 })],
    misses: [withDetail({ 'c-count': 9, 'd-count': 12 }), withDetail({})],
  },
  {
    name: '$or at the top level combined with an AND field',
    pattern: {
      source: ['aws.ec2'],
      $or: [
        { 'detail-type': ['EC2 Instance State-change Notification'] },
        { detail: { state: ['pending'] } },
      ],
    },
    matches: [ec2Event, { ...ec2Event, 'detail-type': 'other', detail: { state: 'pending' } }],
    misses: [
      { ...ec2Event, source: 'aws.s3' },
      { ...ec2Event, 'detail-type': 'other' },
    ],
  },
  {
    name: 'arrays of objects: fields matched together come from the same element',
    pattern: { detail: { items: { sku: ['A'], qty: [{ numeric: ['>', 1] }] } } },
    matches: [
      withDetail({
        items: [
          { sku: 'B', qty: 5 },
          { sku: 'A', qty: 2 },
        ],
      }),
    ],
    misses: [
      withDetail({
        items: [
          { sku: 'A', qty: 1 },
          { sku: 'B', qty: 5 },
        ],
      }),
    ],
  },
  {
    name: 'arrays of objects: exists false means absent from every element',
    pattern: { detail: { items: { gift: [{ exists: false }] } } },
    matches: [withDetail({ items: [{ sku: 'A' }, { sku: 'B' }] }), withDetail({})],
    misses: [withDetail({ items: [{ sku: 'A' }, { sku: 'B', gift: true }] })],
  },
  {
    name: 'booleans and numbers are exact values',
    pattern: { detail: { enabled: [true], count: [3] } },
    matches: [withDetail({ enabled: true, count: 3 }), withDetail({ enabled: true, count: 3.0 })],
    misses: [withDetail({ enabled: 'true', count: 3 }), withDetail({ enabled: true, count: '3' })],
  },
];

describe('Module: event-pattern (EventBridge user-guide examples)', () => {
  for (const example of examples) {
    it(`${example.name}`, () => {
      // Prepare
      const match = compilePattern(example.pattern);
      // Act + Assess
      for (const event of example.matches) expect(match(event), JSON.stringify(event)).toBe(true);
      for (const event of example.misses) expect(match(event), JSON.stringify(event)).toBe(false);
    });
  }

  it('rejects malformed patterns with the offending path', () => {
    // Assess
    expect(() => compilePattern({})).toThrow(InvalidEventPatternError);
    expect(() => compilePattern({ source: 'aws.ec2' })).toThrow(/source/);
    expect(() => compilePattern({ source: [] })).toThrow(/empty/);
    expect(() => compilePattern({ detail: { n: [{ numeric: ['>', 'x'] }] } })).toThrow(/detail\.n/);
    expect(() => compilePattern({ n: [{ numeric: ['>', 1, '>', 2] }] })).toThrow(InvalidEventPatternError);
    expect(() => compilePattern({ n: [{ numeric: ['>', 5, '<', 1] }] })).toThrow(/empty/);
    expect(() => compilePattern({ n: [{ contains: 'x' }] })).toThrow(/unknown operator/);
    expect(() => compilePattern({ n: [{ wildcard: 'a**b' }] })).toThrow(/consecutive/);
    expect(() => compilePattern({ n: [{ cidr: '10.0.0.0/33' }] })).toThrow(/CIDR/);
    expect(() => compilePattern({ $or: [{ a: ['x'] }] })).toThrow(/\$or/);
  });

  it('compiles every rule of the manifest', () => {
    // Assess
    for (const rule of rules) expect(() => compilePattern(rule.pattern), rule.name).not.toThrow();
  });

  it('parses IPv4, IPv6 and IPv4-mapped IPv6 addresses', () => {
    // Assess
    expect(parseIp('192.168.0.1')).toEqual({ family: 4, value: 0xc0a80001n });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(parseIp('::ffff:10.0.0.1')).toEqual({ family: 6, value: 0xffff0a000001n });
    expect(parseIp('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseIp('256.0.0.1')).toBeUndefined();
  });
});

// ── properties ─────────────────────────────────────────────────────────────────────────────────

const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/).filter((k) => k !== '$or');
const leaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.boolean(),
  fc.constant(null),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(leaf, { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  ),
})).value;
const eventObject = fc.dictionary(key, jsonValue, { minKeys: 1, maxKeys: 4 });

/** A pattern of exact values derived from an object: every leaf (first array element) must match. */
const selfPattern = (node: Record<string, unknown>): Record<string, unknown> | undefined => {
  const pattern: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(node)) {
    if (Array.isArray(value)) {
      if (value.length > 0) pattern[field] = [value[0]];
    } else if (typeof value === 'object' && value !== null) {
      const inner = selfPattern(value as Record<string, unknown>);
      if (inner) pattern[field] = inner;
    } else {
      pattern[field] = [value];
    }
  }
  return Object.keys(pattern).length > 0 ? pattern : undefined;
};

const matcherOn = (field: string, matcher: unknown) => ({ detail: { [field]: [matcher] } });
const eventWith = (field: string, value: unknown) => ({ source: 's', detail: { [field]: value } });

describe('Module: event-pattern (properties)', () => {
  it('an event matches the exact-value pattern derived from itself', () => {
    fc.assert(
      fc.property(eventObject, (event) => {
        const pattern = selfPattern(event);
        fc.pre(pattern !== undefined);
        expect(matchesPattern(pattern, event)).toBe(true);
      }),
    );
  });

  it('a pattern field the event lacks never matches (unless exists: false)', () => {
    fc.assert(
      fc.property(eventObject, leaf, (event, value) => {
        const missing = 'zz-missing-field';
        expect(matchesPattern({ [missing]: [value] }, event)).toBe(false);
        expect(matchesPattern({ [missing]: [{ exists: false }] }, event)).toBe(true);
        expect(matchesPattern({ [missing]: [{ exists: true }] }, event)).toBe(false);
      }),
    );
  });

  it('exists: true and exists: false are complements', () => {
    fc.assert(
      fc.property(eventObject, key, (event, field) => {
        expect(matchesPattern({ [field]: [{ exists: true }] }, event)).toBe(
          !matchesPattern({ [field]: [{ exists: false }] }, event),
        );
      }),
    );
  });

  it('anything-but X = the field exists and X does not match it (scalars)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 5 })),
        leaf,
        (excluded, value) => {
          const event = eventWith('f', value);
          const anythingBut = matchesPattern(matcherOn('f', { 'anything-but': excluded }), event);
          const equal = matchesPattern(matcherOn('f', excluded), event);
          expect(anythingBut).toBe(!equal);
        },
      ),
    );
  });

  it('an array in the event matches when some element matches', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 4 }), { maxLength: 5 }),
        fc.string({ maxLength: 4 }),
        (values, wanted) => {
          expect(matchesPattern(matcherOn('f', wanted), eventWith('f', values))).toBe(
            values.includes(wanted),
          );
          expect(matchesPattern(matcherOn('f', { prefix: wanted }), eventWith('f', values))).toBe(
            values.some((v) => v.startsWith(wanted)),
          );
        },
      ),
    );
  });

  it('prefix, suffix and equals-ignore-case agree with the string operations', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (value, operand) => {
        const event = eventWith('f', value);
        expect(matchesPattern(matcherOn('f', { prefix: operand }), event)).toBe(value.startsWith(operand));
        expect(matchesPattern(matcherOn('f', { suffix: operand }), event)).toBe(value.endsWith(operand));
        expect(matchesPattern(matcherOn('f', { 'equals-ignore-case': operand }), event)).toBe(
          value.toLowerCase() === operand.toLowerCase(),
        );
        expect(matchesPattern(matcherOn('f', { prefix: operand }), eventWith('f', operand + value))).toBe(
          true,
        );
        expect(
          matchesPattern(
            matcherOn('f', { prefix: { 'equals-ignore-case': operand } }),
            eventWith('f', operand.toUpperCase() + value),
          ),
        ).toBe(true);
      }),
    );
  });

  it('a wildcard without stars is an exact match, and "*" matches every string', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 8 }).filter((s) => !s.includes('*') && !s.includes('\\')),
        fc.string({ maxLength: 8 }),
        (literal, value) => {
          expect(matchesPattern(matcherOn('f', { wildcard: literal }), eventWith('f', value))).toBe(
            value === literal,
          );
          expect(matchesPattern(matcherOn('f', { wildcard: '*' }), eventWith('f', value))).toBe(true);
          expect(matchesPattern(matcherOn('f', { wildcard: `${literal}*` }), eventWith('f', value))).toBe(
            value.startsWith(literal),
          );
        },
      ),
    );
  });

  it('numeric ranges agree with the comparison operators', () => {
    const num = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
    fc.assert(
      fc.property(num, num, num, fc.boolean(), fc.boolean(), (a, b, x, lowInclusive, highInclusive) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const pattern = matcherOn('n', {
          numeric: [lowInclusive ? '>=' : '>', low, highInclusive ? '<=' : '<', high],
        });
        const expected = (lowInclusive ? x >= low : x > low) && (highInclusive ? x <= high : x < high);
        expect(matchesPattern(pattern, eventWith('n', x))).toBe(expected);
        expect(matchesPattern(matcherOn('n', { numeric: ['=', x] }), eventWith('n', x))).toBe(true);
        expect(matchesPattern(pattern, eventWith('n', String(x)))).toBe(false);
      }),
    );
  });

  it('cidr matches exactly the IPv4 addresses that share the prefix bits', () => {
    const ipv4 = fc.tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: 255 })));
    const toInt = (o: number[]) => o.reduce((acc, octet) => acc * 256 + octet, 0);
    fc.assert(
      fc.property(ipv4, ipv4, fc.integer({ min: 0, max: 32 }), (network, address, bits) => {
        const pattern = matcherOn('ip', { cidr: `${network.join('.')}/${bits}` });
        const shift = 2 ** (32 - bits);
        const expected = Math.floor(toInt(network) / shift) === Math.floor(toInt(address) / shift);
        expect(matchesPattern(pattern, eventWith('ip', address.join('.')))).toBe(expected);
      }),
    );
  });

  it('$or matches when any alternative matches (and the rest of the level matches)', () => {
    const simplePattern = fc.record({
      detail: fc.dictionary(key, fc.array(leaf, { minLength: 1, maxLength: 2 }), { minKeys: 1, maxKeys: 2 }),
    });
    fc.assert(
      fc.property(simplePattern, simplePattern, eventObject, (a, b, detail) => {
        const event = { source: 's', detail };
        const either = matchesPattern({ source: ['s'], $or: [a, b] }, event);
        expect(either).toBe(matchesPattern(a, event) || matchesPattern(b, event));
        expect(matchesPattern({ source: ['other'], $or: [a, b] }, event)).toBe(false);
      }),
    );
  });
});
