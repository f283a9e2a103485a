/**
 * OpenAPI 3.1, generated from the route manifest and its zod schemas, so the document cannot
 * drift from what the functions validate. OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod
 * writes itself (`z.toJSONSchema`); schemas with a `meta({ id })` become `components.schemas`.
 * Built once per container.
 */
import * as z from 'zod/mini';
import { fullScope, roleScopes, roles, type Scope } from '#shared/auth/roles';
import { PROBLEM_CONTENT_TYPE } from '#shared/http/problem';
import { responseContentTypes } from '#shared/http/route';
import { type RouteDef, routes } from '#shared/routes';

export const ProblemSchema = z
  .object({
    type: z.string().register(z.globalRegistry, { example: 'https://relay.dev/problems/validation-error' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    correlationId: z.string(),
    errors: z.optional(
      z.array(
        z.object({
          path: z.string().register(z.globalRegistry, { example: 'body.emails[0].address' }),
          message: z.string(),
          code: z.optional(z.string()),
        }),
      ),
    ),
  })
  .register(z.globalRegistry, { id: 'Problem', description: 'RFC 9457 problem details' });

/** The error statuses a route can answer with (and what they mean), from what it declares. */
const errorResponses = (route: RouteDef) => {
  const out: Record<string, string> = {};
  out[400] = 'Invalid path, query or body (field errors listed)'; // unknown query parameters too
  if (route.scope) {
    out[401] = 'Missing or invalid bearer token';
    out[403] = 'The caller’s role lacks the scope or does not own the record';
  }
  if (route.request?.params) out[404] = 'Not found';
  if (route.method === 'POST' || route.method === 'PATCH' || route.method === 'DELETE') {
    out[409] = 'Conflict (duplicate email/domain, invalid transition, request in progress)';
  }
  if (route.versioned) out[412] = 'Version mismatch: the record changed since you read it';
  if (route.versioned === true) out[428] = 'If-Match or version missing';
  if (route.request?.body) {
    out[413] = 'Body too large';
    out[415] = `Body is not ${route.bodyFormat === 'form' ? 'application/x-www-form-urlencoded' : 'application/json'}`;
  }
  if (route.idempotent) out[422] = 'Idempotency-Key reused with a different request';
  out[500] = 'Unexpected error (quote the correlation id)';
  return out;
};

const headers = (route: RouteDef) => {
  const shape: Record<string, z.ZodMiniType> = {};
  if (route.idempotent) {
    shape['idempotency-key'] = z
      .optional(z.string().check(z.minLength(1), z.maxLength(255)))
      .register(z.globalRegistry, {
        description: 'Same key + same request within 24 h → the same response, one write',
      });
  }
  if (route.versioned) {
    shape['if-match'] = z.optional(z.string()).register(z.globalRegistry, {
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

type Json = Record<string, unknown>;

/**
 * zod's JSON Schema, in the document's terms: definitions are components (`#/$defs/<id>` →
 * `#/components/schemas/<id>`), and a nullable scalar is one schema with a `null` type
 * (`type: ["string", "null"]`) rather than an `anyOf` with `{ type: "null" }`.
 */
const toOpenApi = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(toOpenApi);
  if (value === null || typeof value !== 'object') return value;
  const { anyOf, ...rest } = value as Json;
  const other = Array.isArray(anyOf) && anyOf.length === 2 ? nullableScalar(anyOf as Json[]) : undefined;
  if (other) return toOpenApi({ ...other, ...rest, type: [other.type, 'null'], ...enumWithNull(other) });
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string'
        ? [key, inner.replace(/^#\/\$defs\//, '#/components/schemas/')]
        : [key, toOpenApi(inner)],
    ),
  );
};

/** The non-null branch of `anyOf: [scalar, { type: "null" }]`. */
const nullableScalar = (branches: Json[]): Json | undefined => {
  const isNull = (b: Json) => b.type === 'null' && Object.keys(b).length === 1;
  const other = branches.find((b) => !isNull(b));
  return other && branches.some(isNull) && typeof other.type === 'string' ? other : undefined;
};

const enumWithNull = (schema: Json) => (Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {});

/**
 * What zod adds that the field's own declaration already says: the safe-integer range of
 * `z.int()` (JSON numbers are checked against it on every body anyway, see request.ts) and the
 * built-in pattern of a string format (`format: "email"` / `"date-time"` names it), and the
 * `propertyNames: { type: "string" }` of a record whose keys are any string.
 */
const override = ({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: Json }) => {
  if (jsonSchema.type === 'integer') {
    if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  }
  const { format, pattern } = zodSchema._zod.def as { format?: string; pattern?: RegExp };
  if (format && pattern && jsonSchema.pattern === pattern.source) delete jsonSchema.pattern;
  const names = jsonSchema.propertyNames as Json | undefined;
  if (names?.type === 'string' && Object.keys(names).length === 1) delete jsonSchema.propertyNames;
};

/**
 * The schemas a document uses. `use(schema)` hands out an empty object that `resolve()` fills
 * with the schema's JSON Schema: one conversion for the whole document, so every `meta({ id })`
 * schema is one component that the others `$ref`.
 */
const collector = () => {
  const used: Array<{ schema: z.core.$ZodType; json: Json }> = [];
  const parameters: Array<{ object: Json; parameters: Json[] }> = [];
  const use = (schema: z.core.$ZodType): Json => {
    const json: Json = {};
    used.push({ schema, json });
    return json;
  };
  /** One OpenAPI parameter per field of an object schema (path, query or header). */
  const params = (schema: z.ZodMiniType, where: 'path' | 'query' | 'header'): Json[] => {
    const list = Object.keys((schema as z.ZodMiniObject).def.shape).map(
      (name): Json => ({ name, in: where }),
    );
    parameters.push({ object: use(schema), parameters: list });
    return list;
  };
  const resolve = (): Json => {
    const all = z.toJSONSchema(z.object(Object.fromEntries(used.map(({ schema }, i) => [`s${i}`, schema]))), {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
      override: override as never,
    });
    const { properties, $defs } = toOpenApi(all) as { properties: Record<string, Json>; $defs?: Json };
    used.forEach(({ json }, i) => {
      Object.assign(json, properties[`s${i}`]);
    });
    for (const { object, parameters: list } of parameters) {
      const fields = object.properties as Record<string, Json>;
      const required = (object.required as string[] | undefined) ?? [];
      for (const parameter of list) {
        const name = parameter.name as string;
        const schema = fields[name] as Json;
        Object.assign(parameter, {
          schema,
          required: required.includes(name),
          ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
        });
      }
    }
    return $defs ?? {};
  };
  return { use, params, resolve };
};

const problemResponses = (route: RouteDef, problemSchema: Json) =>
  Object.fromEntries(
    Object.entries(errorResponses(route)).map(([status, description]) => [
      status,
      { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } },
    ]),
  );

let cached: Record<string, unknown> | undefined;

export const openApiDocument = (): Record<string, unknown> => {
  if (cached) return cached;
  const { use, params, resolve } = collector();
  const problemSchema = use(ProblemSchema);
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes as readonly RouteDef[]) {
    const { request, response } = route;
    const requestHeaders = headers(route);
    const contentTypes = responseContentTypes(route);
    const parameters = [
      ...(request?.params ? params(request.params, 'path') : []),
      ...(request?.query ? params(request.query, 'query') : []),
      ...(requestHeaders ? params(requestHeaders, 'header') : []),
    ];
    const operation: Json = {
      operationId: route.id,
      summary: route.summary,
      tags: [route.tag],
      ...(route.scope
        ? {
            security: [{ [BEARER_AUTH]: [fullScope(route.scope)] }],
            description: `Scope: \`${fullScope(route.scope)}\` (roles: ${rolesWith(route.scope)})`,
          }
        : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(request?.body
        ? {
            requestBody: {
              required: true,
              content: {
                [route.bodyFormat === 'form' ? 'application/x-www-form-urlencoded' : 'application/json']: {
                  schema: use(request.body),
                  ...(route.example === undefined ? {} : { example: route.example }),
                },
              },
            },
          }
        : {}),
      responses: {
        [response.status]: {
          description: response.status === 204 ? 'Done' : 'Success',
          ...(contentTypes.length > 0
            ? {
                content: Object.fromEntries(
                  contentTypes.map((type) => [
                    type,
                    { schema: response.schema ? use(response.schema) : { type: 'string' } },
                  ]),
                ),
              }
            : response.schema
              ? { content: { 'application/json': { schema: use(response.schema) } } }
              : {}),
        },
        ...problemResponses(route, problemSchema),
      },
    };
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Json>)[route.method.toLowerCase()] = operation;
  }
  const schemas = resolve();
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Relay CRM API',
      version: '0.1.0',
      description: INTRODUCTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        [BEARER_AUTH]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An access token (JWT) whose `scope` claim holds the route’s `relay/…` scope. Locally: `npm run -s token -- --role <role>`; in AWS: the Cognito access token of a user in a role group (see the introduction).',
        },
      },
      schemas,
    },
    paths,
  };
  return cached;
};
