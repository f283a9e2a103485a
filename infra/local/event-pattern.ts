/**
 * EventBridge event-pattern matching (content filtering), pure and dependency-free, used by the
 * local bus (`infra/local/eventbridge.ts`) to route events with the same patterns CDK deploys
 * (`events/rules.ts`).
 *
 * Semantics (as EventBridge / aws/event-ruler):
 * - Every field of the pattern must match (AND); the matchers in a field's array are alternatives (OR).
 * - A nested pattern object descends into the event; arrays anywhere on the event's path are
 *   flattened, so a field matches when ANY element matches.
 * - Leaf matchers: exact values (string, number compared numerically, boolean, null — `null`
 *   and `""` are different), `prefix`, `suffix` (both also with `{ equals-ignore-case }`),
 *   `equals-ignore-case`, `wildcard` (`*` = any run of characters, `\*` a literal star),
 *   `anything-but` (value, list, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`),
 *   `exists` (leaf values only: an object or an empty array does not "exist"), `numeric`
 *   (`=`, or a lower bound `>`/`>=` and/or an upper bound `<`/`<=`), `cidr` (IPv4 and IPv6).
 * - `$or: [patternA, patternB, …]` at any level: the rest of that level AND any alternative.
 * - `anything-but` and `exists: false` both need the field: `anything-but` does not match a
 *   missing field; `exists: false` matches only a missing one.
 *
 * `compilePattern` validates the pattern as PutRule does and returns a fast predicate. What PutRule
 * accepts, and nothing else (anything else throws `InvalidEventPatternError`, whose `name` is
 * EventBridge's `InvalidEventPatternException`, with the offending path):
 * - the pattern's JSON is at most `MAX_EVENT_PATTERN_CHARS` (2,048) characters, the default
 *   "Event pattern size" quota (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html);
 * - the operator forms of the user guide's comparison operators
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html,
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html):
 *   `prefix` / `suffix` (a string, or `{ "equals-ignore-case": string }`), `equals-ignore-case` and
 *   `wildcard` (a string), `anything-but` (a string, a number, a non-empty list of only strings or
 *   only numbers, or `{ prefix | suffix | equals-ignore-case | wildcard }` with a string or a
 *   non-empty list of strings), `numeric` (`=` alone, or one lower and/or one upper bound, finite
 *   numbers), `exists` (a boolean), `cidr` (an IPv4 or IPv6 block), `$or` (two or more patterns).
 */

/** EventBridge's default "Event pattern size" quota, in characters of the pattern's JSON. */
export const MAX_EVENT_PATTERN_CHARS = 2048;

/** PutRule's `InvalidEventPatternException`, with the path of what is wrong. */
export class InvalidEventPatternError extends Error {
  /** EventBridge's error code. */
  readonly code = 'InvalidEventPatternException';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventPatternException';
  }
}

type Leaf = string | number | boolean | null;
type LeafTest = (value: Leaf) => boolean;

interface FieldMatcher {
  /** Tests one present leaf value. */
  test: LeafTest;
  /** `exists` matchers decide on presence instead of values. */
  exists?: boolean;
}

/**
 * `node` is the object being matched (one element when the event has an array of objects, so
 * fields matched together come from the same element, as in event-ruler); `scope` holds every
 * object at this level across those elements, for `exists: false`, which means "absent from the
 * whole event".
 */
type Compiled = (node: unknown, scope: unknown[]) => boolean;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isLeaf = (value: unknown): value is Leaf =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** The leaf values found at `key` under `node`, flattening arrays on the way (like event-ruler). */
const childValues = (node: unknown, key: string): unknown[] => {
  const out: unknown[] = [];
  const visit = (current: unknown): void => {
    if (Array.isArray(current)) {
      for (const item of current) visit(item);
    } else if (isPlainObject(current) && Object.hasOwn(current, key)) {
      out.push(current[key]);
    }
  };
  visit(node);
  return out;
};

const flattenLeaves = (values: unknown[]): Leaf[] => {
  const out: Leaf[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (isLeaf(value)) out.push(value);
  };
  for (const value of values) visit(value);
  return out;
};

// ── leaf matchers ──────────────────────────────────────────────────────────────────────────────

const lower = (text: string): string => text.toLowerCase();

const exact =
  (expected: Leaf): LeafTest =>
  (value) =>
    typeof expected === 'number' ? typeof value === 'number' && value === expected : value === expected;

/** `*` → any run of characters; `\*` → a literal star; `\\` → a literal backslash. */
export const wildcardToRegExp = (pattern: string, path: string): RegExp => {
  let source = '';
  let previousStar = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] as string;
    if (char === '\\') {
      const next = pattern[index + 1];
      if (next !== '*' && next !== '\\') {
        throw new InvalidEventPatternError(`${path}: wildcard "${pattern}" has an invalid escape`);
      }
      source += `\\${next}`;
      index += 1;
      previousStar = false;
      continue;
    }
    if (char === '*') {
      if (previousStar) {
        throw new InvalidEventPatternError(
          `${path}: wildcard "${pattern}" has consecutive wildcard characters`,
        );
      }
      source += '.*';
      previousStar = true;
      continue;
    }
    source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    previousStar = false;
  }
  return new RegExp(`^${source}$`, 's');
};

const stringTest =
  (test: (value: string) => boolean): LeafTest =>
  (value) =>
    typeof value === 'string' && test(value);

const ignoreCaseOperand = (
  operand: unknown,
  operator: string,
  path: string,
): { text: string; ignoreCase: boolean } => {
  if (typeof operand === 'string') return { text: operand, ignoreCase: false };
  if (
    isPlainObject(operand) &&
    Object.keys(operand).length === 1 &&
    typeof operand['equals-ignore-case'] === 'string'
  ) {
    return { text: operand['equals-ignore-case'], ignoreCase: true };
  }
  throw new InvalidEventPatternError(
    `${path}: "${operator}" needs a string or { "equals-ignore-case": string }`,
  );
};

const prefixTest = (operand: unknown, path: string): LeafTest => {
  const { text, ignoreCase } = ignoreCaseOperand(operand, 'prefix', path);
  const needle = ignoreCase ? lower(text) : text;
  return stringTest((value) => (ignoreCase ? lower(value) : value).startsWith(needle));
};

const suffixTest = (operand: unknown, path: string): LeafTest => {
  const { text, ignoreCase } = ignoreCaseOperand(operand, 'suffix', path);
  const needle = ignoreCase ? lower(text) : text;
  return stringTest((value) => (ignoreCase ? lower(value) : value).endsWith(needle));
};

const requireString = (operand: unknown, operator: string, path: string): string => {
  if (typeof operand !== 'string')
    throw new InvalidEventPatternError(`${path}: "${operator}" needs a string`);
  return operand;
};

type NumericOp = '=' | '<' | '<=' | '>' | '>=';
const NUMERIC_OPS: ReadonlySet<string> = new Set(['=', '<', '<=', '>', '>=']);

const numericTest = (operand: unknown, path: string): LeafTest => {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) {
    throw new InvalidEventPatternError(`${path}: "numeric" needs [operator, number, …]`);
  }
  const bounds: Array<{ op: NumericOp; bound: number }> = [];
  for (let index = 0; index < operand.length; index += 2) {
    const op = operand[index];
    const bound = operand[index + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op)) {
      throw new InvalidEventPatternError(`${path}: unknown numeric operator ${JSON.stringify(op)}`);
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      throw new InvalidEventPatternError(`${path}: numeric operator "${op}" needs a number`);
    }
    bounds.push({ op: op as NumericOp, bound });
  }
  const equals = bounds.filter((b) => b.op === '=');
  const lowers = bounds.filter((b) => b.op === '>' || b.op === '>=');
  const uppers = bounds.filter((b) => b.op === '<' || b.op === '<=');
  if ((equals.length > 0 && bounds.length > 1) || lowers.length > 1 || uppers.length > 1) {
    throw new InvalidEventPatternError(
      `${path}: "numeric" takes "=" alone, or at most one lower and one upper bound`,
    );
  }
  const [low] = lowers;
  const [high] = uppers;
  if (low && high && low.bound > high.bound) {
    throw new InvalidEventPatternError(`${path}: "numeric" range is empty (${low.bound} > ${high.bound})`);
  }
  return (value) => {
    if (typeof value !== 'number') return false;
    return bounds.every(({ op, bound }) => {
      switch (op) {
        case '=':
          return value === bound;
        case '<':
          return value < bound;
        case '<=':
          return value <= bound;
        case '>':
          return value > bound;
        case '>=':
          return value >= bound;
      }
      return false;
    });
  };
};

// ── IP addresses ───────────────────────────────────────────────────────────────────────────────

interface ParsedIp {
  family: 4 | 6;
  value: bigint;
}

const parseIpv4 = (text: string): bigint | undefined => {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
};

const parseIpv6 = (text: string): bigint | undefined => {
  let head = text;
  let tailIpv4: bigint | undefined;
  const lastColon = head.lastIndexOf(':');
  if (head.includes('.')) {
    tailIpv4 = parseIpv4(head.slice(lastColon + 1));
    if (tailIpv4 === undefined) return undefined;
    head = `${head.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): string[] | undefined => (part === '' ? [] : part.split(':'));
  const left = groupsOf(halves[0] ?? '');
  const right = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  if (tailIpv4 !== undefined) value = (value & ~0xffffffffn) | tailIpv4;
  return value;
};

export const parseIp = (text: string): ParsedIp | undefined => {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (!text.includes(':')) return undefined;
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
};

const cidrTest = (operand: unknown, path: string): LeafTest => {
  const text = requireString(operand, 'cidr', path);
  const [address = '', bitsText] = text.split('/');
  const network = parseIp(address);
  const width = network?.family === 6 ? 128 : 32;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!network || !/^\d{1,3}$/.test(bitsText ?? String(width)) || bits > width) {
    throw new InvalidEventPatternError(`${path}: "${text}" is not a valid CIDR block`);
  }
  const shift = BigInt(width - bits);
  const prefix = network.value >> shift;
  return stringTest((value) => {
    const ip = parseIp(value);
    return ip !== undefined && ip.family === network.family && ip.value >> shift === prefix;
  });
};

// ── anything-but ───────────────────────────────────────────────────────────────────────────────

const anythingButTest = (operand: unknown, path: string): LeafTest => {
  if (typeof operand === 'string' || typeof operand === 'number') {
    const excluded = exact(operand);
    return (value) => !excluded(value);
  }
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number');
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      throw new InvalidEventPatternError(
        `${path}: "anything-but" list must hold only strings or only numbers, at least one`,
      );
    }
    const excluded = (operand as Leaf[]).map(exact);
    return (value) => !excluded.some((test) => test(value));
  }
  if (isPlainObject(operand) && Object.keys(operand).length === 1) {
    const [[operator, inner]] = Object.entries(operand) as [[string, unknown]];
    let excluded: LeafTest;
    // Each of the four takes a string or a non-empty list of strings (any of which excludes).
    const texts = (): string[] => {
      if (Array.isArray(inner) && inner.length === 0) {
        throw new InvalidEventPatternError(`${path}: "anything-but ${operator}" list is empty`);
      }
      return (Array.isArray(inner) ? inner : [inner]).map((item) =>
        requireString(item, `anything-but ${operator}`, path),
      );
    };
    switch (operator) {
      case 'prefix': {
        const prefixes = texts();
        excluded = stringTest((v) => prefixes.some((text) => v.startsWith(text)));
        break;
      }
      case 'suffix': {
        const suffixes = texts();
        excluded = stringTest((v) => suffixes.some((text) => v.endsWith(text)));
        break;
      }
      case 'equals-ignore-case': {
        const lowered = texts().map(lower);
        excluded = stringTest((v) => lowered.includes(lower(v)));
        break;
      }
      case 'wildcard': {
        const patterns = texts().map((text) => wildcardToRegExp(text, path));
        excluded = stringTest((v) => patterns.some((re) => re.test(v)));
        break;
      }
      default:
        throw new InvalidEventPatternError(`${path}: unsupported "anything-but" operator "${operator}"`);
    }
    return (value) => !excluded(value);
  }
  throw new InvalidEventPatternError(`${path}: invalid "anything-but" operand`);
};

// ── compilation ────────────────────────────────────────────────────────────────────────────────

const compileMatcher = (matcher: unknown, path: string): FieldMatcher => {
  if (isLeaf(matcher)) return { test: exact(matcher) };
  if (!isPlainObject(matcher)) {
    throw new InvalidEventPatternError(`${path}: a matcher must be a value or an operator object`);
  }
  const entries = Object.entries(matcher);
  if (entries.length !== 1) {
    throw new InvalidEventPatternError(`${path}: an operator object holds exactly one operator`);
  }
  const [[operator, operand]] = entries as [[string, unknown]];
  switch (operator) {
    case 'prefix':
      return { test: prefixTest(operand, path) };
    case 'suffix':
      return { test: suffixTest(operand, path) };
    case 'equals-ignore-case': {
      const text = lower(requireString(operand, operator, path));
      return { test: stringTest((value) => lower(value) === text) };
    }
    case 'wildcard': {
      const re = wildcardToRegExp(requireString(operand, operator, path), path);
      return { test: stringTest((value) => re.test(value)) };
    }
    case 'anything-but':
      return { test: anythingButTest(operand, path) };
    case 'exists':
      if (typeof operand !== 'boolean')
        throw new InvalidEventPatternError(`${path}: "exists" needs a boolean`);
      return { test: () => true, exists: operand };
    case 'numeric':
      return { test: numericTest(operand, path) };
    case 'cidr':
      return { test: cidrTest(operand, path) };
    default:
      throw new InvalidEventPatternError(`${path}: unknown operator "${operator}"`);
  }
};

const compileField = (key: string, spec: unknown, path: string): Compiled => {
  if (Array.isArray(spec)) {
    if (spec.length === 0)
      throw new InvalidEventPatternError(`${path}: an empty matcher list matches nothing`);
    const matchers = spec.map((matcher, index) => compileMatcher(matcher, `${path}[${index}]`));
    return (node, scope) => {
      const leaves = flattenLeaves(childValues(node, key));
      return matchers.some((matcher) => {
        if (matcher.exists === true) return leaves.length > 0;
        if (matcher.exists === false) return flattenLeaves(childValues(scope, key)).length === 0;
        return leaves.some(matcher.test);
      });
    };
  }
  if (isPlainObject(spec)) {
    const inner = compileObject(spec, path);
    const objectsAt = (from: unknown): Record<string, unknown>[] =>
      childValues(from, key)
        .flatMap((child) => (Array.isArray(child) ? child.flat(Number.POSITIVE_INFINITY) : [child]))
        .filter(isPlainObject);
    return (node, scope) => {
      const candidates = objectsAt(node);
      const innerScope = objectsAt(scope);
      // A missing object still lets `exists: false` (and `$or` branches built on it) match.
      return candidates.length === 0
        ? inner(undefined, innerScope)
        : candidates.some((candidate) => inner(candidate, innerScope));
    };
  }
  throw new InvalidEventPatternError(`${path}: a field's value must be an array of matchers or an object`);
};

const compileObject = (pattern: Record<string, unknown>, path: string): Compiled => {
  const fields: Compiled[] = [];
  let alternatives: Compiled[] | undefined;
  for (const [key, spec] of Object.entries(pattern)) {
    if (spec === undefined) continue;
    const fieldPath = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(spec) || spec.length < 2 || !spec.every(isPlainObject)) {
        throw new InvalidEventPatternError(`${fieldPath}: "$or" needs an array of at least two patterns`);
      }
      alternatives = spec.map((alternative, index) => compileObject(alternative, `${fieldPath}[${index}]`));
      continue;
    }
    fields.push(compileField(key, spec, fieldPath));
  }
  return (node, scope) =>
    fields.every((field) => field(node, scope)) &&
    (alternatives === undefined || alternatives.some((alternative) => alternative(node, scope)));
};

export type EventPredicate = (event: unknown) => boolean;

/** Characters of a pattern's JSON, as the quota counts them (code points, not UTF-16 units). */
export const eventPatternSize = (pattern: unknown): number => [...(JSON.stringify(pattern) ?? '')].length;

/** Validates `pattern` and returns a predicate over events (throws `InvalidEventPatternError`). */
export const compilePattern = (pattern: unknown): EventPredicate => {
  if (!isPlainObject(pattern) || Object.keys(pattern).length === 0) {
    throw new InvalidEventPatternError('an event pattern is a non-empty JSON object');
  }
  const size = eventPatternSize(pattern);
  if (size > MAX_EVENT_PATTERN_CHARS) {
    throw new InvalidEventPatternError(
      `the event pattern is ${size} characters long; EventBridge accepts at most ${MAX_EVENT_PATTERN_CHARS}`,
    );
  }
  const compiled = compileObject(pattern, '');
  return (event) => compiled(event, [event]);
};

/** Throws `InvalidEventPatternError` unless PutRule would accept `pattern`. */
export const validateEventPattern = (pattern: unknown): void => {
  compilePattern(pattern);
};

/** One-shot `compilePattern(pattern)(event)`. */
export const matchesPattern = (pattern: unknown, event: unknown): boolean => compilePattern(pattern)(event);
