/**
 * Edge parsing of an API Gateway HTTP API (payload v2) request against its route: content type,
 * size, JSON, and zod validation of path, query and body into typed values. Every defect becomes
 * a 4xx RelayError with field paths (`body.emails[0].address`, `query.limit`, `path.id`).
 */
import '#shared/zod-locale';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import {
  type FieldError,
  fieldErrorsFrom,
  PayloadTooLargeError,
  PreconditionRequiredError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/errors';
import type { RouteDef } from '#shared/http/route';

/** Largest accepted request body (bytes). API Gateway allows 10 MB; a CRM record is far smaller. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Strict decoder: invalid UTF-8 is an error, never a silent U+FFFD in stored data. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

const validate = <S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  where: 'path' | 'query' | 'body',
): z.output<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(`The request ${where === 'path' ? 'path' : where} is not valid.`, {
      errors: fieldErrorsFrom(parsed.error.issues, where),
    });
  }
  return parsed.data;
};

type BodyEvent = Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded' | 'headers'>;

const bodyBytes = (event: BodyEvent, kind: string): Buffer => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(
      `The request body is ${bytes.length} bytes; the limit is ${MAX_BODY_BYTES}.`,
    );
  }
  if (bytes.length === 0) {
    throw new ValidationError(`A ${kind} request body is required.`, {
      errors: [{ path: 'body', message: 'required' }],
    });
  }
  return bytes;
};

const decodeUtf8 = (bytes: Buffer): string => {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ValidationError('The request body is not valid UTF-8.', {
      errors: [{ path: 'body', message: 'invalid UTF-8' }],
    });
  }
};

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;.*)?$/i;
/** Most fields a form body may have (the preference page sends one per subscription type). */
const MAX_FORM_FIELDS = 100;

/**
 * An `application/x-www-form-urlencoded` body as an object: a field sent once is a string, a
 * field sent more than once an array of its values, in order. `__proto__` is refused.
 */
export const readForm = (event: BodyEvent): Record<string, string | string[]> => {
  const bytes = bodyBytes(event, 'form');
  const contentType = event.headers?.['content-type'] ?? '';
  if (!FORM_TYPE.test(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Send the body as application/x-www-form-urlencoded${contentType ? `, not ${contentType.split(';')[0]}` : ''}.`,
      { headers: { 'accept-post': 'application/x-www-form-urlencoded' } },
    );
  }
  const params = new URLSearchParams(decodeUtf8(bytes));
  const form: Record<string, string | string[]> = Object.create(null);
  let fields = 0;
  for (const [name, value] of params) {
    if (++fields > MAX_FORM_FIELDS) {
      throw new ValidationError(`A form may have at most ${MAX_FORM_FIELDS} fields.`, {
        errors: [{ path: 'body', message: 'too many fields', code: 'too_big' }],
      });
    }
    if (name === '__proto__') {
      throw new ValidationError('The form has a reserved field name.', {
        errors: [{ path: 'body.__proto__', message: 'reserved key', code: 'reserved_key' }],
      });
    }
    const seen = form[name];
    form[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return { ...form };
};

export const readBody = (event: BodyEvent): unknown => {
  const bytes = bodyBytes(event, 'JSON');
  const contentType = event.headers?.['content-type'] ?? '';
  if (!JSON_TYPE.test(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Send the body as application/json${contentType ? `, not ${contentType.split(';')[0]}` : ''}.`,
      { headers: { 'accept-post': 'application/json' } },
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeError(`Send the body as UTF-8, not ${charset}.`, {
      headers: { 'accept-post': 'application/json; charset=utf-8' },
    });
  }
  const text = decodeUtf8(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON.', {
      errors: [{ path: 'body', message: 'malformed JSON' }],
    });
  }
  const errors = numbersOutsideDomain(parsed, 'body');
  if (errors.length > 0) {
    throw new ValidationError(
      'The request body has numbers Relay cannot store exactly, reserved keys or too deep nesting.',
      {
        errors,
      },
    );
  }
  return parsed;
};

/** Smallest non-zero magnitude of a JSON number Relay accepts (see docs/architecture.md, numbers). */
export const MIN_NUMBER_MAGNITUDE = 1e-9;

/**
 * The numeric domain of every JSON body (docs/architecture.md, "Numbers"): a finite number whose
 * magnitude is at most 2^53 - 1 and, unless 0, at least 1e-9. Outside it a number cannot travel
 * exactly through JSON, JavaScript and DynamoDB (`9007199254740993` parses as …992, `1e300` and
 * `1e-200` are outside DynamoDB's range), so it is a 400 field error here, for every field.
 */
export const inNumberDomain = (value: number): boolean => {
  const magnitude = Math.abs(value);
  return (
    Number.isFinite(value) &&
    magnitude <= Number.MAX_SAFE_INTEGER &&
    (magnitude === 0 || magnitude >= MIN_NUMBER_MAGNITUDE)
  );
};

/**
 * Deepest nesting of arrays and objects a body may have: DynamoDB stores documents up to 32 levels,
 * and no Relay schema comes close. Deeper input is a 400 here, before anything walks it recursively
 * (a 20 000-level array used to exhaust the stack: a 500).
 */
export const MAX_NESTING_DEPTH = 32;

/**
 * The field errors of a parsed body: numbers outside the domain, `__proto__` keys, and nesting
 * past `MAX_NESTING_DEPTH` (walked with an explicit stack, so no input can overflow the call stack).
 */
const numbersOutsideDomain = (value: unknown, root: string): FieldError[] => {
  const found: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (stack.length > 0 && found.length < 20) {
    const { value: item, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof item === 'number') {
      if (!inNumberDomain(item)) {
        found.push({
          path,
          message: `numbers must be 0 or between ${MIN_NUMBER_MAGNITUDE} and ${Number.MAX_SAFE_INTEGER} in magnitude`,
          code: 'number_out_of_range',
        });
      }
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth >= MAX_NESTING_DEPTH) {
      found.push({
        path,
        message: `arrays and objects may nest at most ${MAX_NESTING_DEPTH} levels deep`,
        code: 'too_deep',
      });
      continue;
    }
    const children: Array<{ value: unknown; path: string; depth: number }> = [];
    if (Array.isArray(item)) {
      item.forEach((child, index) => {
        children.push({ value: child, path: `${path}[${index}]`, depth: depth + 1 });
      });
    } else {
      for (const [key, child] of Object.entries(item)) {
        // JSON.parse keeps `__proto__` as an own key, but zod and object spreads drop or misread it:
        // refuse it here so it is a 400 like any other invalid name, never silently lost.
        if (key === '__proto__') {
          found.push({ path: `${path}.${key}`, message: 'reserved key', code: 'reserved_key' });
          continue;
        }
        children.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
      }
    }
    // Reversed onto the stack, so fields are reported in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as (typeof children)[number]);
  }
  return found;
};

/**
 * The version a write was made against: `If-Match: "3"` / `W/"3"` / `3`, or a body `version`;
 * both present must agree. `undefined` when the request sends neither.
 */
export const versionOf = (
  headers: Record<string, string | undefined>,
  bodyVersion: unknown,
): number | undefined => {
  const header = headers['if-match'];
  let fromHeader: number | undefined;
  if (header !== undefined) {
    const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
    if (!match?.[1]) {
      throw new ValidationError('If-Match must be the resource version as an ETag, e.g. "3".', {
        errors: [{ path: 'header.if-match', message: 'not a version ETag' }],
      });
    }
    fromHeader = Number(match[1]);
  }
  const fromBody = typeof bodyVersion === 'number' ? bodyVersion : undefined;
  if (fromHeader !== undefined && fromBody !== undefined && fromHeader !== fromBody) {
    throw new ValidationError('If-Match and the body version disagree.', {
      errors: [{ path: 'body.version', message: 'differs from If-Match' }],
    });
  }
  return fromHeader ?? fromBody;
};

/** `versionOf`, required: neither If-Match nor a body `version` → 428. */
export const expectedVersionOf = (
  headers: Record<string, string | undefined>,
  bodyVersion: unknown,
): number => {
  const expected = versionOf(headers, bodyVersion);
  if (expected === undefined) {
    throw new PreconditionRequiredError(
      'Send If-Match with the version you read (the ETag), or a "version" field.',
    );
  }
  return expected;
};

const VersionBody = z.strictObject({ version: z.int().check(z.gte(0)) });

/**
 * The body `version` of a versioned route that takes no other body (DELETE): an empty body is
 * fine (If-Match then carries the version); anything else must be `{"version": n}`.
 */
export const versionBodyOf = (
  event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded' | 'headers'>,
): number | undefined => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  return validate(VersionBody, readBody(event), 'body').version;
};

export interface ParsedRequest {
  params: unknown;
  query: unknown;
  body: unknown;
}

export const parseRequest = (route: RouteDef, event: APIGatewayProxyEventV2): ParsedRequest => {
  const request = route.request ?? {};
  const params = request.params ? validate(request.params, event.pathParameters ?? {}, 'path') : undefined;
  const query = request.query
    ? validate(request.query, event.queryStringParameters ?? {}, 'query')
    : rejectQuery(event.queryStringParameters);
  const body = request.body
    ? validate(request.body, route.bodyFormat === 'form' ? readForm(event) : readBody(event), 'body')
    : undefined;
  return { params, query, body };
};

const rejectQuery = (query: Record<string, string | undefined> | undefined): undefined => {
  const names = Object.keys(query ?? {});
  if (names.length > 0) {
    throw new ValidationError('This endpoint takes no query parameters.', {
      errors: names.map((name) => ({
        path: `query.${name}`,
        message: 'unknown parameter',
        code: 'unrecognized_keys',
      })),
    });
  }
  return undefined;
};
