/**
 * The runtime schemas are zod/mini, which ships no locale: field errors must still carry zod's
 * English messages and issue codes (what clients saw with classic zod), never "Invalid input".
 */
import { describe, expect, it } from 'vitest';
import type { ValidationError } from '#shared/errors';
import { parseRequest } from '#shared/http/request';
import { routeById } from '#shared/routes';
import { thrownBy } from '#test/unit/support/errors';
import { httpEvent } from '#test/unit/support/events';

const postCustomer = (body: unknown) =>
  httpEvent({ routeKey: 'POST /customers', path: '/customers', body, role: 'sales' });

describe('Function: parseRequest field errors', () => {
  it('words zod issues in English with their codes', () => {
    // Prepare
    const event = postCustomer({
      firstName: 'x'.repeat(101),
      emails: [{ address: 'not-an-email' }],
      lifecycleStage: 'vip',
      ownerId: 7,
    });

    // Act
    const error = thrownBy(() => parseRequest(routeById('createCustomer'), event)) as ValidationError;

    // Assess
    expect(error.errors).toEqual([
      {
        path: 'body.firstName',
        message: 'Too big: expected string to have <=100 characters',
        code: 'too_big',
      },
      { path: 'body.emails[0].address', message: 'Invalid email address', code: 'invalid_format' },
      {
        path: 'body.lifecycleStage',
        message: 'Invalid option: expected one of "subscriber"|"lead"|"prospect"|"customer"|"churned"',
        code: 'invalid_value',
      },
      {
        path: 'body.ownerId',
        message: 'Invalid input: expected string, received number',
        code: 'invalid_type',
      },
    ]);
  });

  it('keeps the messages a schema declares itself', () => {
    // Prepare
    const event = postCustomer({ firstName: 'Ada', phones: [{ number: '030 123' }] });

    // Act
    const error = thrownBy(() => parseRequest(routeById('createCustomer'), event)) as ValidationError;

    // Assess
    expect(error.errors).toEqual([
      {
        path: 'body.phones[0].number',
        message: 'must be an E.164 phone number such as +4930123456',
        code: 'invalid_format',
      },
    ]);
  });
});
