/**
 * RFC 9457 problem+json: the one mapping from errors to HTTP responses. Relay errors expose their
 * status, title, detail and field errors; anything else is a generic 500 that only carries the
 * correlation id (details go to the log, never to the client).
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type FieldError, RelayError } from '#shared/errors';

export const PROBLEM_BASE = 'https://relay.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  correlationId: string;
  errors?: FieldError[];
}

export const problemOf = (error: unknown, instance: string, correlationId: string): Problem => {
  if (error instanceof RelayError) {
    return {
      type: `${PROBLEM_BASE}${error.slug}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      instance,
      correlationId,
      ...(error.errors && error.errors.length > 0 ? { errors: error.errors } : {}),
    };
  }
  return {
    type: `${PROBLEM_BASE}internal-error`,
    title: 'Internal server error',
    status: 500,
    detail: 'Something went wrong on our side. Quote the correlation id when you report it.',
    instance,
    correlationId,
  };
};

export const problemResponse = (
  error: unknown,
  instance: string,
  correlationId: string,
): APIGatewayProxyStructuredResultV2 & { statusCode: number } => {
  const problem = problemOf(error, instance, correlationId);
  return {
    statusCode: problem.status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      'x-correlation-id': correlationId,
      ...(error instanceof RelayError ? error.headers : {}),
    },
    body: JSON.stringify(problem),
  };
};
