/** Edge parsing of HTTP API requests: size, content type, JSON, versions and zod field paths. */
import { describe, expect, it } from 'vitest';
import {
  PayloadTooLargeError,
  PreconditionRequiredError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/errors';
import {
  expectedVersionOf,
  MAX_BODY_BYTES,
  MAX_NESTING_DEPTH,
  parseRequest,
  readBody,
  readForm,
} from '#shared/http/request';
import { routeById } from '#shared/routes';
import { thrownBy } from '#test/unit/support/errors';
import { httpEvent } from '#test/unit/support/events';

const ID = '01JD8X3Q9Z7N6M5K4H3G2F1E0D';

/** A POST /customers event with the given raw body and headers. */
const postCustomers = (
  body: string | undefined,
  headers: Record<string, string | undefined> = {},
  base64 = false,
) => httpEvent({ routeKey: 'POST /customers', path: '/customers', body, headers, role: 'sales', base64 });

const fieldPaths = (error: unknown): string[] => ((error as ValidationError).errors ?? []).map((e) => e.path);

describe('Function: readBody', () => {
  it('parses a JSON body', () => {
    // Prepare
    const event = postCustomers('{"firstName":"Ada"}');

    // Act
    const body = readBody(event);

    // Assess
    expect(body).toEqual({ firstName: 'Ada' });
  });

  it('accepts a body of exactly MAX_BODY_BYTES', () => {
    // Prepare
    const event = postCustomers(`"${'a'.repeat(MAX_BODY_BYTES - 2)}"`);

    // Act
    const body = readBody(event);

    // Assess
    expect(body).toHaveLength(MAX_BODY_BYTES - 2);
  });

  it('rejects a body one byte over MAX_BODY_BYTES with 413', () => {
    // Prepare
    const event = postCustomers(`"${'a'.repeat(MAX_BODY_BYTES - 1)}"`);

    // Act
    const error = thrownBy(() => readBody(event));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).status).toBe(413);
  });

  it('rejects a body that is not valid UTF-8 instead of storing U+FFFD', () => {
    // Prepare: {"firstName":"<0xff 0xfe>"} sent as binary
    const bytes = Buffer.concat([
      Buffer.from('{"firstName":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const event = {
      ...postCustomers('x', { 'content-type': 'application/json' }),
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    };

    // Act
    const error = thrownBy(() => readBody(event));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(fieldPaths(error)).toEqual(['body']);
  });

  it.each(['iso-8859-1', 'latin1', '"windows-1252"', 'utf-16'])(
    'rejects a declared charset=%s with 415',
    (charset) => {
      // Prepare
      const event = postCustomers('{"firstName":"Ada"}', {
        'content-type': `application/json; charset=${charset}`,
      });

      // Act
      const error = thrownBy(() => readBody(event));

      // Assess
      expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
      expect((error as UnsupportedMediaTypeError).status).toBe(415);
    },
  );

  it.each(['utf-8', 'UTF-8', '"utf-8"', 'utf8'])('accepts a declared charset=%s', (charset) => {
    // Prepare
    const event = postCustomers('{"firstName":"Adé"}', {
      'content-type': `application/json; charset=${charset}`,
    });

    // Act
    const body = readBody(event);

    // Assess
    expect(body).toEqual({ firstName: 'Adé' });
  });

  it.each(['1e300', '-1e300', '1e-200', '9007199254740993', '123456789012345678901234567890'])(
    'rejects the number %s with a 400 field error at its path',
    (number) => {
      // Prepare
      const event = postCustomers(`{"attributes":{"score":${number}},"tags":[1,{"n":${number}}]}`);

      // Act
      const error = thrownBy(() => readBody(event));

      // Assess
      expect(error).toBeInstanceOf(ValidationError);
      expect(fieldPaths(error)).toEqual(['body.attributes.score', 'body.tags[1].n']);
    },
  );

  it.each(['0', '-0', '9007199254740991', '-9007199254740991', '0.5', '1e-9', '12.34'])(
    'accepts the number %s',
    (number) => {
      // Prepare
      const event = postCustomers(`{"score":${number}}`);

      // Act
      const body = readBody(event) as { score: number };

      // Assess
      expect(body.score).toBe(Number(number));
    },
  );

  it('rejects a __proto__ key anywhere in the body instead of dropping it', () => {
    // Prepare
    const event = postCustomers('{"attributes":{"__proto__":{"x":1},"tier":"gold"}}');

    // Act
    const error = thrownBy(() => readBody(event));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(fieldPaths(error)).toEqual(['body.attributes.__proto__']);
  });

  it('rejects nesting past MAX_NESTING_DEPTH with 400 at the deepest allowed path, without overflowing the stack', () => {
    // Prepare: 20 000 nested arrays (a 500 "Maximum call stack size exceeded" before)
    const depth = 20_000;
    const event = postCustomers(`{"attributes":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`);

    // Act
    const error = thrownBy(() => readBody(event));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    const errors = (error as ValidationError).errors ?? [];
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('too_deep');
    expect(errors[0]?.path).toBe(`body.attributes.x${'[0]'.repeat(MAX_NESTING_DEPTH - 2)}`);
  });

  it('accepts nesting up to MAX_NESTING_DEPTH levels', () => {
    // Prepare: the body object plus MAX_NESTING_DEPTH - 1 nested levels
    const inner = `${'['.repeat(MAX_NESTING_DEPTH - 1)}1${']'.repeat(MAX_NESTING_DEPTH - 1)}`;
    const event = postCustomers(`{"x":${inner}}`);

    // Act
    const body = readBody(event);

    // Assess
    expect(JSON.stringify(body)).toBe(`{"x":${inner}}`);
  });

  it('counts bytes, not characters, against the limit', () => {
    // Prepare: 'é' is two bytes in UTF-8
    const event = postCustomers(`"${'é'.repeat(MAX_BODY_BYTES / 2)}"`);

    // Act
    const error = thrownBy(() => readBody(event));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('checks the size before the content type', () => {
    // Prepare
    const event = postCustomers('x'.repeat(MAX_BODY_BYTES + 1), { 'content-type': 'text/plain' });

    // Act
    const error = thrownBy(() => readBody(event));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('decodes a base64-encoded body', () => {
    // Prepare
    const event = postCustomers('{"lastName":"Lovelace"}', {}, true);

    // Act
    const body = readBody(event);

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(body).toEqual({ lastName: 'Lovelace' });
  });

  it('measures a base64-encoded body by its decoded size', () => {
    // Prepare: about 1.33 × MAX_BODY_BYTES on the wire, under the limit once decoded
    const event = postCustomers(`"${'a'.repeat(MAX_BODY_BYTES - 2)}"`, {}, true);

    // Act
    const body = readBody(event);

    // Assess
    expect((event.body ?? '').length).toBeGreaterThan(MAX_BODY_BYTES);
    expect(body).toHaveLength(MAX_BODY_BYTES - 2);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/vnd.relay+json',
  ])('accepts the content type %s', (contentType) => {
    // Prepare
    const event = postCustomers('{"firstName":"Ada"}', { 'content-type': contentType });

    // Act
    const body = readBody(event);

    // Assess
    expect(body).toEqual({ firstName: 'Ada' });
  });

  it.each([
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
    'text/json',
  ])('rejects the content type %s with 415', (contentType) => {
    // Prepare
    const event = postCustomers('{"firstName":"Ada"}', { 'content-type': contentType });

    // Act
    const error = thrownBy(() => readBody(event));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((error as UnsupportedMediaTypeError).status).toBe(415);
  });

  it('rejects a body without a content type with 415', () => {
    // Prepare
    const event = postCustomers('{"firstName":"Ada"}', { 'content-type': undefined });

    // Act
    const error = thrownBy(() => readBody(event));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('tells the client which content type to send', () => {
    // Prepare
    const event = postCustomers('<customer/>', { 'content-type': 'application/xml' });

    // Act
    const error = thrownBy(() => readBody(event)) as UnsupportedMediaTypeError;

    // Assess
    expect(error.headers).toEqual({ 'accept-post': 'application/json' });
    expect(error.message).toBe('Send the body as application/json, not application/xml.');
  });

  it('rejects malformed JSON with 400 at the body path', () => {
    // Prepare
    const event = postCustomers('{"firstName": "Ada",}');

    // Act
    const error = thrownBy(() => readBody(event));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ path: 'body', message: 'malformed JSON' }]);
  });

  it('rejects a missing body with 400 at the body path', () => {
    // Prepare
    const event = postCustomers(undefined);

    // Act
    const error = thrownBy(() => readBody(event));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(fieldPaths(error)).toEqual(['body']);
  });
});

describe('Function: expectedVersionOf', () => {
  it.each([
    ['a strong ETag', '"3"', 3],
    ['a weak ETag', 'W/"3"', 3],
    ['a bare number', '3', 3],
    ['surrounding spaces', '  "42" ', 42],
  ])('reads the version from If-Match given as %s', (_name, ifMatch, expected) => {
    // Act
    const version = expectedVersionOf({ 'if-match': ifMatch }, undefined);

    // Assess
    expect(version).toBe(expected);
  });

  it('reads the version from the body when there is no If-Match', () => {
    // Act
    const version = expectedVersionOf({}, 7);

    // Assess
    expect(version).toBe(7);
  });

  it('accepts If-Match and a body version that agree', () => {
    // Act
    const version = expectedVersionOf({ 'if-match': '"5"' }, 5);

    // Assess
    expect(version).toBe(5);
  });

  it.each(['abc', '*', '"3", "4"', 'W/3x', '""', '-1', '1.5', '"1234567890123456"'])(
    'rejects the If-Match value %s with 400',
    (ifMatch) => {
      // Act
      const error = thrownBy(() => expectedVersionOf({ 'if-match': ifMatch }, undefined));

      // Assess
      expect(error).toBeInstanceOf(ValidationError);
      expect(fieldPaths(error)).toEqual(['header.if-match']);
    },
  );

  it('rejects If-Match and a body version that disagree with 400', () => {
    // Act
    const error = thrownBy(() => expectedVersionOf({ 'if-match': '"3"' }, 4));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(fieldPaths(error)).toEqual(['body.version']);
  });

  it('asks for a version with 428 when there is none', () => {
    // Act
    const error = thrownBy(() => expectedVersionOf({}, undefined));

    // Assess
    expect(error).toBeInstanceOf(PreconditionRequiredError);
    expect((error as PreconditionRequiredError).status).toBe(428);
  });
});

describe('Function: parseRequest', () => {
  it('returns typed params, query and body', () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'GET /customers/{id}/view',
      path: `/customers/${ID}/view`,
      pathParameters: { id: ID },
      query: { latest: '5' },
      role: 'sales',
    });

    // Act
    const parsed = parseRequest(routeById('getCustomerView'), event);

    // Assess
    expect(parsed).toEqual({ params: { id: ID }, query: { latest: 5 }, body: undefined });
  });

  it('rejects query parameters on a route that takes none, one error per name', () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'GET /customers/{id}',
      path: `/customers/${ID}`,
      pathParameters: { id: ID },
      query: { expand: 'company', debug: '1' },
      role: 'sales',
    });

    // Act
    const error = thrownBy(() => parseRequest(routeById('getCustomer'), event));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(fieldPaths(error)).toEqual(['query.expand', 'query.debug']);
  });

  it('rejects an unknown query parameter at its own path on a route with a query schema', () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'GET /customers',
      path: '/customers',
      query: { sort: 'name' },
      role: 'sales',
    });

    // Act
    const error = thrownBy(() => parseRequest(routeById('listCustomers'), event));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(fieldPaths(error)).toEqual(['query.sort']);
  });

  it('reports an invalid query value at query.<name>', () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'GET /customers',
      path: '/customers',
      query: { limit: '500' },
      role: 'sales',
    });

    // Act
    const error = thrownBy(() => parseRequest(routeById('listCustomers'), event));

    // Assess
    expect(fieldPaths(error)).toEqual(['query.limit']);
  });

  it('reports an invalid path parameter at path.<name>', () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'GET /customers/{id}',
      path: '/customers/not-a-ulid',
      pathParameters: { id: 'not-a-ulid' },
      role: 'sales',
    });

    // Act
    const error = thrownBy(() => parseRequest(routeById('getCustomer'), event));

    // Assess
    expect(fieldPaths(error)).toEqual(['path.id']);
  });

  it('reports a nested body field at its zod path', () => {
    // Prepare
    const event = postCustomers(JSON.stringify({ firstName: 'Ada', emails: [{ address: 'not-an-email' }] }));

    // Act
    const error = thrownBy(() => parseRequest(routeById('createCustomer'), event));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(fieldPaths(error)).toEqual(['body.emails[0].address']);
  });

  it('reports an unknown body field at its own path', () => {
    // Prepare
    const event = postCustomers(JSON.stringify({ firstName: 'Ada', nickname: 'Countess' }));

    // Act
    const error = thrownBy(() => parseRequest(routeById('createCustomer'), event));

    // Assess
    expect(fieldPaths(error)).toEqual(['body.nickname']);
  });

  it('reports every invalid field, not only the first', () => {
    // Prepare
    const event = postCustomers(
      JSON.stringify({ firstName: '', phones: [{ number: '030 123' }], lifecycleStage: 'vip' }),
    );

    // Act
    const error = thrownBy(() => parseRequest(routeById('createCustomer'), event));

    // Assess
    expect(fieldPaths(error).sort()).toEqual([
      'body.firstName',
      'body.lifecycleStage',
      'body.phones[0].number',
    ]);
  });

  it('accepts a merge-patch body on a PATCH route', () => {
    // Prepare
    const event = httpEvent({
      routeKey: 'PATCH /customers/{id}',
      path: `/customers/${ID}`,
      pathParameters: { id: ID },
      body: { jobTitle: null, lifecycleStage: 'customer' },
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"2"' },
      role: 'sales',
    });

    // Act
    const parsed = parseRequest(routeById('updateCustomer'), event);

    // Assess
    expect(parsed.body).toEqual({ jobTitle: null, lifecycleStage: 'customer' });
  });
});

describe('Function: readForm', () => {
  const form = (body: string, contentType = 'application/x-www-form-urlencoded') => ({
    body,
    isBase64Encoded: false,
    headers: { 'content-type': contentType },
  });

  it('decodes fields, and a repeated field as an array in order', () => {
    // Act
    const parsed = readForm(form('List-Unsubscribe=One-Click&subscribed=a&subscribed=b&name=J%C3%BCrgen+X'));

    // Assess
    expect(parsed).toEqual({ 'List-Unsubscribe': 'One-Click', subscribed: ['a', 'b'], name: 'Jürgen X' });
  });

  it('refuses JSON (415), an empty body, __proto__ and too many fields (400)', () => {
    // Act / Assess
    expect(() => readForm(form('{"a":1}', 'application/json'))).toThrow(UnsupportedMediaTypeError);
    expect(() => readForm(form(''))).toThrow(ValidationError);
    expect(() => readForm(form('__proto__=x'))).toThrow(ValidationError);
    expect(() => readForm(form(Array.from({ length: 101 }, (_, i) => `f${i}=1`).join('&')))).toThrow(
      /at most 100 fields/,
    );
  });

  it('never lets a field name reach the prototype', () => {
    // Act
    const parsed = readForm(form('constructor=x&toString=y'));

    // Assess
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(parsed).toEqual({ constructor: 'x', toString: 'y' });
  });
});
