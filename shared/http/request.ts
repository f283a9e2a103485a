/**
 * Edge parsing of an API Gateway HTTP API (payload v2) request against its route: content type,
 * size, JSON, and zod validation of path, query and body into typed values. Every defect becomes
 * a 4xx RelayError with field paths (`body.emails[0].address`, `query.limit`, `path.id`).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import {
  fieldErrorsFrom,
  PayloadTooLargeError,
  PreconditionRequiredError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/errors';
import type { RouteDef } from '#shared/http/route';

/** Largest accepted request body (bytes). API Gateway allows 10 MB; a CRM record is far smaller. */
export const MAX_BODY_BYTES = 256 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

const validate = <S extends z.ZodType>(
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

export const readBody = (
  event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded' | 'headers'>,
): unknown => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(
      `The request body is ${bytes.length} bytes; the limit is ${MAX_BODY_BYTES}.`,
    );
  }
  if (bytes.length === 0) {
    throw new ValidationError('A JSON request body is required.', {
      errors: [{ path: 'body', message: 'required' }],
    });
  }
  const contentType = event.headers?.['content-type'] ?? '';
  if (!JSON_TYPE.test(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Send the body as application/json${contentType ? `, not ${contentType.split(';')[0]}` : ''}.`,
      { headers: { 'accept-post': 'application/json' } },
    );
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ValidationError('The request body is not valid JSON.', {
      errors: [{ path: 'body', message: 'malformed JSON' }],
    });
  }
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

const VersionBody = z.strictObject({ version: z.number().int().min(0) });

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
  const body = request.body ? validate(request.body, readBody(event), 'body') : undefined;
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
