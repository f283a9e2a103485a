/**
 * The one error model. Domain and HTTP code throw these typed errors; the HTTP edge maps them to
 * RFC 9457 problem+json in one place (`shared/http/problem.ts`). Only 4xx details are exposed.
 */
export interface FieldError {
  /** JSON path of the offending field, e.g. `emails[0].address` or `query.limit`. */
  path: string;
  message: string;
  code?: string;
}

export abstract class RelayError extends Error {
  abstract readonly status: number;
  /** Short, stable slug; the problem `type` is `https://relay.dev/problems/<slug>`. */
  abstract readonly slug: string;
  abstract readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export class ValidationError extends RelayError {
  readonly status = 400;
  readonly slug = 'validation-error';
  readonly title = 'Your request is not valid';
}
export class UnauthorizedError extends RelayError {
  readonly status = 401;
  readonly slug = 'unauthorized';
  readonly title = 'Authentication required';
}
export class ForbiddenError extends RelayError {
  readonly status = 403;
  readonly slug = 'forbidden';
  readonly title = 'Not allowed';
}
export class NotFoundError extends RelayError {
  readonly status = 404;
  readonly slug = 'not-found';
  readonly title = 'Resource not found';
}
export class MethodNotAllowedError extends RelayError {
  readonly status = 405;
  readonly slug = 'method-not-allowed';
  readonly title = 'Method not allowed';
}
export class ConflictError extends RelayError {
  readonly status = 409;
  readonly slug: string;
  readonly title: string;
  constructor(
    detail: string,
    options: { slug?: string; title?: string; errors?: FieldError[]; cause?: unknown } = {},
  ) {
    super(detail, options);
    this.slug = options.slug ?? 'conflict';
    this.title = options.title ?? 'Conflict with the current state';
  }
}
export class PreconditionFailedError extends RelayError {
  readonly status = 412;
  readonly slug = 'version-mismatch';
  readonly title = 'The resource has changed';
}
export class PayloadTooLargeError extends RelayError {
  readonly status = 413;
  readonly slug = 'payload-too-large';
  readonly title = 'Request body too large';
}
/** A write that would grow a stored record past DynamoDB's 400 KB item limit; nothing was written. */
export class RecordTooLargeError extends RelayError {
  readonly status = 413;
  readonly slug = 'record-too-large';
  readonly title = 'The record would exceed the storage limit';
}
export class UnsupportedMediaTypeError extends RelayError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
  readonly title = 'Unsupported content type';
}
export class IdempotencyKeyReuseError extends RelayError {
  readonly status = 422;
  readonly slug = 'idempotency-key-reuse';
  readonly title = 'Idempotency-Key reused with a different request';
}
export class PreconditionRequiredError extends RelayError {
  readonly status = 428;
  readonly slug = 'precondition-required';
  readonly title = 'A version is required';
}

/** Converts zod issues to field errors with dotted/bracketed paths under a prefix. */
export const fieldErrorsFrom = (
  issues: ReadonlyArray<{
    path: ReadonlyArray<PropertyKey>;
    message: string;
    code?: string;
    keys?: readonly string[];
  }>,
  prefix?: string,
): FieldError[] =>
  issues.flatMap((issue) => {
    const path = issue.path.reduce<string>(
      (acc, part) =>
        typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
      prefix ?? '',
    );
    const code = issue.code ? { code: issue.code } : {};
    // An unknown field is reported at its own path, so clients can point at it.
    if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        message: 'unknown field',
        ...code,
      }));
    }
    return [{ path, message: issue.message, ...code }];
  });
