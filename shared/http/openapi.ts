/**
 * OpenAPI 3.1, generated from the route manifest and its zod schemas (zod-to-openapi), so the
 * document cannot drift from what the functions validate. Built once per container.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { fullScope, roleScopes, roles, type Scope } from '#shared/auth/roles';
import { PROBLEM_CONTENT_TYPE } from '#shared/http/problem';
import { responseContentTypes } from '#shared/http/route';
import { type RouteDef, routes } from '#shared/routes';

export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: 'https://relay.dev/problems/validation-error' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    correlationId: z.string(),
    errors: z
      .array(
        z.object({
          path: z.string().meta({ example: 'body.emails[0].address' }),
          message: z.string(),
          code: z.string().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});

/** The error statuses a route can answer with, from what it declares. */
const errorResponses = (route: RouteDef) => {
  const out: Record<string, ReturnType<typeof problem>> = {};
  out[400] = problem('Invalid path, query or body (field errors listed)'); // unknown query parameters too
  if (route.scope) {
    out[401] = problem('Missing or invalid bearer token');
    out[403] = problem('The caller’s role lacks the scope or does not own the record');
  }
  if (route.request?.params) out[404] = problem('Not found');
  if (route.method === 'POST' || route.method === 'PATCH' || route.method === 'DELETE') {
    out[409] = problem('Conflict (duplicate email/domain, invalid transition, request in progress)');
  }
  if (route.versioned) out[412] = problem('Version mismatch: the record changed since you read it');
  if (route.versioned === true) out[428] = problem('If-Match or version missing');
  if (route.request?.body) {
    out[413] = problem('Body too large');
    out[415] = problem('Body is not application/json');
  }
  if (route.idempotent) out[422] = problem('Idempotency-Key reused with a different request');
  out[500] = problem('Unexpected error (quote the correlation id)');
  return out;
};

const headers = (route: RouteDef) => {
  const shape: Record<string, z.ZodType> = {};
  if (route.idempotent) {
    shape['idempotency-key'] = z.string().min(1).max(255).optional().meta({
      description: 'Same key + same request within 24 h → the same response, one write',
    });
  }
  if (route.versioned) {
    shape['if-match'] = z
      .string()
      .optional()
      .meta({
        description:
          route.versioned === true
            ? 'The ETag (version) you read, e.g. "3" (or a body `version`; one of them is required)'
            : 'The ETag (version) you read, e.g. "3" (optional: when sent, a stale one is a 412)',
      });
  }
  return Object.keys(shape).length ? z.object(shape) : undefined;
};

/** Name of the bearer JWT security scheme every protected operation lists (with its scope). */
export const BEARER_AUTH = 'bearerAuth';

const rolesWith = (scope: Scope): string =>
  roles
    .filter((role) => roleScopes[role].includes(scope))
    .map((role) => `\`${role}\``)
    .join(', ');

/** `info.description`: what the API is and how to get a token for the Authorize dialog. */
const INTRODUCTION = [
  'Customers, companies, the customer timeline and its 360 view, custom attribute settings, webhook subscriptions and the audit log. Errors are RFC 9457 `application/problem+json`.',
  '',
  '## Authentication',
  '',
  'Every route but the System ones needs `Authorization: Bearer <access token>`: a JWT whose `scope` claim holds the route’s `relay/…` scope (listed on each operation with the roles that have it). Get a token, press **Authorize** and paste it (without `Bearer`).',
  '',
  `- **Local cloud** (\`npm start\`): \`npm run -s token -- --role <${roles.join('|')}>\` prints a token signed with the dev keys in \`.relay/\` (\`npm start\` prints the command too).`,
  '- **AWS**: sign in with the user pool’s web client (stack outputs `UserPoolId` and `WebClientId`; SRP or the authorization-code flow) and use the **access token**, not the ID token. A user’s Cognito groups are their roles (`aws cognito-idp admin-add-user-to-group --user-pool-id <UserPoolId> --username <user> --group-name sales`); the pre-token-generation trigger writes the roles’ scopes into the access token (valid 1 h).',
  '',
  'Writes: POST takes `Idempotency-Key`; PATCH/DELETE take `If-Match: "<version>"` (or a body `version`).',
].join('\n');

let cached: Record<string, unknown> | undefined;

export const openApiDocument = (): Record<string, unknown> => {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER_AUTH, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An access token (JWT) whose `scope` claim holds the route’s `relay/…` scope. Locally: `npm run -s token -- --role <role>`; in AWS: the Cognito access token of a user in a role group (see the introduction).',
  });
  for (const route of routes as readonly RouteDef[]) {
    const { request, response } = route;
    const requestHeaders = headers(route);
    const contentTypes = responseContentTypes(route);
    registry.registerPath({
      operationId: route.id,
      method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: route.path,
      summary: route.summary,
      tags: [route.tag],
      ...(route.scope
        ? {
            security: [{ [BEARER_AUTH]: [fullScope(route.scope)] }],
            description: `Scope: \`${fullScope(route.scope)}\` (roles: ${rolesWith(route.scope)})`,
          }
        : { security: [] }),
      request: {
        ...(request?.params ? { params: request.params as z.ZodObject } : {}),
        ...(request?.query ? { query: request.query as z.ZodObject } : {}),
        ...(requestHeaders ? { headers: requestHeaders } : {}),
        ...(request?.body
          ? {
              body: {
                required: true,
                content: {
                  'application/json': {
                    schema: request.body,
                    ...(route.example === undefined ? {} : { example: route.example }),
                  },
                },
              },
            }
          : {}),
      },
      responses: {
        [response.status]: {
          description: response.status === 204 ? 'Done' : 'Success',
          ...(contentTypes.length > 0
            ? {
                content: Object.fromEntries(
                  contentTypes.map((type) => [type, { schema: response.schema ?? z.string() }]),
                ),
              }
            : response.schema
              ? { content: { 'application/json': { schema: response.schema } } }
              : {}),
        },
        ...errorResponses(route),
      },
    });
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  cached = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Relay CRM API',
      version: '0.1.0',
      description: INTRODUCTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
  }) as unknown as Record<string, unknown>;
  return cached;
};
