/**
 * Template placeholders: THE list of names a template may use, the check of a template part
 * against it (Handlebars' own parser, then a walk of its AST), and rendering with defaults. SES
 * renders templates with Handlebars, so what passes here renders there the same way.
 */
import Handlebars from 'handlebars';
import type { FieldError } from '#shared/errors';

/** Customer fields a template may name (`{{firstName}}`). */
export const customerPlaceholders = [
  'firstName',
  'lastName',
  'primaryEmail',
  'jobTitle',
  'lifecycleStage',
  'timezone',
  'locale',
] as const;
/** Company fields, under `company.` (`{{company.name}}`). */
export const companyPlaceholders = ['company.name'] as const;
/** Links the sender fills per recipient; a marketing template must carry `unsubscribeUrl`. */
export const linkPlaceholders = ['unsubscribeUrl', 'preferencesUrl'] as const;
/** Custom attributes: `attributes.<name>`, `<name>` one of the attribute definitions in settings. */
export const ATTRIBUTES_PREFIX = 'attributes.';

/** Every fixed placeholder name (custom attributes come on top: `attributes.<name>`). */
export const placeholderNames: readonly string[] = [
  ...customerPlaceholders,
  ...companyPlaceholders,
  ...linkPlaceholders,
];

/** Objects a block may test or walk (`{{#with company}}`, `{{#each attributes}}`), not print. */
export const objectPlaceholders = ['attributes', 'company'] as const;

/** Block helpers a template may use; any other helper, partial or decorator is rejected. */
export const allowedBlockHelpers = ['if', 'unless', 'each', 'with'] as const;

/** What the preview renders for the per-recipient links (never a working link). */
export const PREVIEW_UNSUBSCRIBE_URL = 'https://example.invalid/unsubscribe?token=preview';
export const PREVIEW_PREFERENCES_URL = 'https://example.invalid/preferences?token=preview';

/**
 * Is `name` a placeholder templates may use? `attributeNames` are the defined custom attributes;
 * `undefined` accepts any `attributes.<name>`.
 */
export const isKnownPlaceholder = (name: string, attributeNames?: ReadonlySet<string>): boolean => {
  if (placeholderNames.includes(name)) return true;
  if (!name.startsWith(ATTRIBUTES_PREFIX)) return false;
  const attribute = name.slice(ATTRIBUTES_PREFIX.length);
  if (!/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(attribute)) return false;
  return attributeNames === undefined || attributeNames.has(attribute);
};

export interface PartCheck {
  errors: FieldError[];
  /** The placeholder names the part uses (resolved to the top-level context). */
  used: Set<string>;
}

type Node = hbs.AST.Node;
type Position = { line: number; column: number };

const at = (position: Position): string => `line ${position.line}, column ${position.column}`;
const startOf = (node: Node): Position => ({ line: node.loc.start.line, column: node.loc.start.column + 1 });

/**
 * The position of a Handlebars parse error. Its message says `Parse error on line N:` and shows
 * the input before the failure (at most 20 characters, newlines dropped) above a `^`; the column
 * is where that excerpt ends on line N.
 */
const parseErrorPosition = (source: string, message: string): Position => {
  const line = Number(/line (\d+)/.exec(message)?.[1] ?? 1);
  const [, excerpt = '', marker = ''] = message.split('\n');
  const pointer = marker.indexOf('^');
  const before = excerpt.slice(0, Math.max(0, pointer)).replace(/^\.\.\./, '');
  const text = source.split('\n')[line - 1] ?? '';
  for (let column = text.length; column > 0; column--) {
    const seen = text.slice(0, column).replace(/\n/g, '');
    const tail = seen.slice(-before.length);
    if (before.endsWith(tail) && tail.length > 0) return { line, column: column + 1 };
  }
  return { line, column: 1 };
};

/**
 * Checks one template part (`subject`, `html`, `text`): it parses as Handlebars, names only known
 * placeholders, and uses no helpers beyond `if`/`unless`/`each`/`with`. Field errors name the part
 * (`body.<part>`) and the position.
 */
export const checkPart = (part: string, source: string, attributeNames?: ReadonlySet<string>): PartCheck => {
  const errors: FieldError[] = [];
  const used = new Set<string>();
  const path = `body.${part}`;
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = parseErrorPosition(source, message);
    const reason = message.split('\n').at(-1) ?? message;
    errors.push({
      path,
      code: 'template_syntax',
      message: `invalid template syntax at ${at(position)}: ${reason}`,
    });
    return { errors, used };
  }

  /** Context frames: `null` for an `each` item (its fields are not known), else the path prefix. */
  const reject = (node: Node, code: string, message: string) =>
    errors.push({ path, code, message: `${message} at ${at(startOf(node))}` });

  const checkPath = (expr: hbs.AST.PathExpression, frames: Array<string | null>, inBlock = false) => {
    if (expr.data) {
      // @index, @key, @first, @last inside each; @root.<name> is the top-level context.
      if (expr.parts[0] === 'root') {
        const name = expr.parts.slice(1).join('.');
        if (isKnownPlaceholder(name, attributeNames)) used.add(name);
        else reject(expr, 'unknown_placeholder', `unknown placeholder {{${expr.original}}}`);
        return;
      }
      if (!frames.includes(null))
        reject(expr, 'unknown_placeholder', `{{${expr.original}}} is only defined inside {{#each}}`);
      return;
    }
    const frame = frames[frames.length - 1 - expr.depth];
    if (frame === undefined && expr.depth > 0) {
      reject(expr, 'unknown_placeholder', `{{${expr.original}}} goes above the top-level context`);
      return;
    }
    if (frame === null) return; // a field of an each item: not knowable here
    const name = [frame, ...expr.parts].filter(Boolean).join('.');
    if (inBlock && (objectPlaceholders as readonly string[]).includes(name)) return;
    if (isKnownPlaceholder(name, attributeNames)) used.add(name);
    else reject(expr, 'unknown_placeholder', `unknown placeholder {{${expr.original}}}`);
  };

  const checkValue = (expr: hbs.AST.Expression, frames: Array<string | null>, inBlock = false) => {
    if (expr.type === 'PathExpression') checkPath(expr as hbs.AST.PathExpression, frames, inBlock);
    else if (expr.type === 'SubExpression')
      reject(expr, 'helper_not_allowed', 'helper calls are not allowed');
    // String, number, boolean, null and undefined literals are fine.
  };

  const walk = (nodes: hbs.AST.Statement[], frames: Array<string | null>) => {
    for (const node of nodes) {
      switch (node.type) {
        case 'ContentStatement':
        case 'CommentStatement':
          break;
        case 'MustacheStatement': {
          const mustache = node as hbs.AST.MustacheStatement;
          if (mustache.params.length > 0 || mustache.hash) {
            reject(
              node,
              'helper_not_allowed',
              `helper calls are not allowed ({{${(mustache.path as hbs.AST.PathExpression).original ?? ''} …}})`,
            );
            break;
          }
          checkValue(mustache.path, frames);
          break;
        }
        case 'BlockStatement': {
          const block = node as hbs.AST.BlockStatement;
          const helper =
            block.path.type === 'PathExpression' ? (block.path as hbs.AST.PathExpression).original : '';
          if (!(allowedBlockHelpers as readonly string[]).includes(helper) || block.params.length !== 1) {
            reject(
              node,
              'helper_not_allowed',
              `block helper {{#${helper}}} is not allowed (only if, unless, each and with with one value)`,
            );
            break;
          }
          const [param] = block.params as [hbs.AST.Expression];
          checkValue(param, frames, true);
          if (block.program.blockParams?.length) {
            reject(node, 'helper_not_allowed', 'block parameters (as |x|) are not allowed');
            break;
          }
          let inner: string | null = frames[frames.length - 1] ?? '';
          if (helper === 'each') inner = null;
          if (helper === 'with') {
            const target = param as hbs.AST.PathExpression;
            const base = frames[frames.length - 1 - (target.depth ?? 0)];
            inner =
              param.type === 'PathExpression' && !target.data && base !== null && base !== undefined
                ? [base, ...target.parts].filter(Boolean).join('.')
                : null;
          }
          const nested = helper === 'each' || helper === 'with' ? [...frames, inner] : frames;
          walk(block.program.body, nested);
          if (block.inverse) walk(block.inverse.body, frames);
          break;
        }
        case 'PartialStatement':
        case 'PartialBlockStatement':
          reject(node, 'helper_not_allowed', 'partials are not allowed');
          break;
        default:
          reject(node, 'helper_not_allowed', `${node.type} is not allowed`);
      }
    }
  };
  walk(program.body, ['']);
  return { errors, used };
};

/** The render context: nested objects from dotted placeholder names (`company.name`). */
export type RenderData = Record<string, unknown>;

const valueAt = (data: RenderData, name: string): unknown =>
  name.split('.').reduce<unknown>((value, key) => {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    return (value as Record<string, unknown>)[key];
  }, data);

const setAt = (data: RenderData, name: string, value: unknown): void => {
  const keys = name.split('.');
  let target = data;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    if (next === null || typeof next !== 'object') target[key] = {};
    target = target[key] as RenderData;
  }
  target[keys[keys.length - 1] as string] = value;
};

/** `data` with each default filled in where its placeholder has no value (absent, null or ''). */
export const withDefaults = (data: RenderData, defaults: Record<string, string>): RenderData => {
  const out = structuredClone(data);
  for (const [name, value] of Object.entries(defaults)) {
    const current = valueAt(out, name);
    if (current === undefined || current === null || current === '') setAt(out, name, value);
  }
  return out;
};

const engine = Handlebars.create();

/**
 * Renders one part as SES does: Handlebars with HTML escaping of `{{…}}` (use `{{{…}}}` for raw
 * text), only the built-in block helpers, no prototype access.
 */
export const renderPart = (source: string, data: RenderData): string =>
  engine.compile(source, {
    knownHelpers: { if: true, unless: true, each: true, with: true },
    knownHelpersOnly: true,
  })(data);

/** The placeholder names of `names` that have no value in `data`. */
export const missingIn = (data: RenderData, names: Iterable<string>): string[] =>
  [...names].filter((name) => {
    const value = valueAt(data, name);
    return value === undefined || value === null || value === '';
  });
