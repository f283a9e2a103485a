/**
 * Contract: the OpenAPI document served at /openapi.json describes exactly the route manifest
 * (`shared/routes.ts`) the functions, the local server and CDK are built from.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { roleScopes, roles } from '#shared/auth/roles';
import { BEARER_AUTH, openApiDocument } from '#shared/http/openapi';
import { OPENAPI_DOC_PATH } from '#shared/http/openapi-file';
import { responseContentTypes } from '#shared/http/route';
import { type RouteDef, routes } from '#shared/routes';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
}
interface Operation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  description?: string;
  requestBody?: { required?: boolean; content?: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** A fresh copy of the generated document (it is cached per container). */
const document = (): Document => structuredClone(openApiDocument()) as unknown as Document;

const manifest = routes as readonly RouteDef[];

const operationOf = (doc: Document, route: RouteDef): Operation | undefined =>
  doc.paths[route.path]?.[route.method.toLowerCase()];

/** Every `$ref` string anywhere in the document. */
const refsIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner),
    );
  }
  return [];
};

/** Resolves a local JSON pointer (`#/components/schemas/Customer`) in the document. */
const resolve = (doc: Document, ref: string): unknown =>
  ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>(
      (node, part) =>
        node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined,
      doc,
    );

/** The media type a route's body is sent as. */
const bodyMediaType = (route: { bodyFormat?: 'json' | 'form' }): string =>
  route.bodyFormat === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';

describe('Contract: OpenAPI document', () => {
  it('is served as generated: docs/openapi.json is the current document (run `npm run docs:api`)', () => {
    // Arrange: the file the system function serves, and the document the manifest generates now
    const served: unknown = JSON.parse(
      readFileSync(new URL(`../../${OPENAPI_DOC_PATH}`, import.meta.url), 'utf8'),
    );

    // Assert
    expect(served, 'docs/openapi.json is stale: run `npm run docs:api`').toEqual(document());
  });

  it('is OpenAPI 3.1', () => {
    // Act
    const doc = document();

    // Assess
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Relay CRM API', version: expect.any(String) });
  });

  it('has exactly one operation per manifest route', () => {
    // Prepare
    const doc = document();

    // Act
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );

    // Assess
    expect(operations.sort()).toEqual(manifest.map((route) => `${route.method} ${route.path}`).sort());
  });

  it.each(manifest.map((route) => [route.id, route] as const))(
    'documents %s with the manifest operationId, method and path',
    (_id, route) => {
      // Act
      const operation = operationOf(document(), route);

      // Assess
      expect(operation?.operationId).toBe(route.id);
    },
  );

  it('gives every operation a unique operationId', () => {
    // Prepare
    const doc = document();

    // Act
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares the bearer JWT security scheme', () => {
    // Act
    const schemes = document().components.securitySchemes;

    // Assess
    expect(schemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it.each(manifest.filter((route) => route.scope !== null).map((route) => [route.id, route] as const))(
    'protects %s with bearerAuth and its relay scope',
    (_id, route) => {
      // Act
      const operation = operationOf(document(), route);

      // Assess
      expect(operation?.security).toEqual([{ bearerAuth: [`relay/${route.scope}`] }]);
      expect(operation?.responses).toHaveProperty('401');
      expect(operation?.responses).toHaveProperty('403');
    },
  );

  it.each(manifest.filter((route) => route.scope !== null).map((route) => [route.id, route] as const))(
    'names the scope of %s and exactly the roles that have it',
    (_id, route) => {
      // Prepare
      const holders = roles.filter((role) => route.scope && roleScopes[role].includes(route.scope));

      // Act
      const description = operationOf(document(), route)?.description ?? '';

      // Assess
      expect(description).toContain(`\`relay/${route.scope}\``);
      const named = [...description.matchAll(/`(\w+)`/g)]
        .map((m) => m[1])
        .filter((w) => roles.includes(w as never));
      expect(named).toEqual(holders);
    },
  );

  it('tells readers how to get a token locally and in AWS', () => {
    // Act
    const doc = document();

    // Assess
    expect(doc.components.securitySchemes).toHaveProperty([BEARER_AUTH]);
    expect(doc.info.description).toContain('npm run -s token -- --role');
    expect(doc.info.description).toContain('UserPoolId');
    expect(doc.info.description).toContain('WebClientId');
    expect(doc.info.description).toContain('access token');
  });

  it.each(manifest.filter((route) => route.request?.body).map((route) => [route.id, route] as const))(
    'gives the body of %s an example the route accepts',
    (_id, route) => {
      // Act
      const example = operationOf(document(), route)?.requestBody?.content?.[bodyMediaType(route)]?.example;

      // Assess
      expect(example).toBeDefined();
      const parsed = route.request?.body?.safeParse(example);
      expect(parsed?.error?.issues ?? []).toEqual([]);
    },
  );

  it.each(manifest.filter((route) => route.response.contentType).map((route) => [route.id, route] as const))(
    'documents every content type %s answers with',
    (_id, route) => {
      // Act
      const content = operationOf(document(), route)?.responses[String(route.response.status)]?.content;

      // Assess
      expect(Object.keys(content ?? {}).sort()).toEqual([...responseContentTypes(route)].sort());
    },
  );

  it.each(manifest.filter((route) => route.scope === null).map((route) => [route.id, route] as const))(
    'marks %s public with an empty security list',
    (_id, route) => {
      // Act
      const operation = operationOf(document(), route);

      // Assess
      expect(operation?.security).toEqual([]);
      expect(operation?.responses).not.toHaveProperty('401');
    },
  );

  it('resolves every $ref in the document', () => {
    // Prepare
    const doc = document();

    // Act
    const unresolved = [...new Set(refsIn(doc))].filter(
      (ref) => !ref.startsWith('#/') || resolve(doc, ref) === undefined,
    );

    // Assess
    expect(refsIn(doc).length).toBeGreaterThan(0);
    expect(unresolved).toEqual([]);
  });

  // Form posts (one-click unsubscribe, the preference page) come from mail clients and browsers,
  // which send no headers of their own; they set a state, so a repeat changes nothing.
  it.each(
    manifest
      .filter((route) => route.method === 'POST' && route.bodyFormat !== 'form')
      .map((route) => [route.id, route] as const),
  )('documents Idempotency-Key and 422 for POST %s', (_id, route) => {
    // Act
    const operation = operationOf(document(), route);

    // Assess
    expect(operation?.parameters).toContainEqual(
      expect.objectContaining({ name: 'idempotency-key', in: 'header', required: false }),
    );
    expect(operation?.responses['422']?.content).toHaveProperty(['application/problem+json']);
  });

  it.each(manifest.filter((route) => route.versioned === true).map((route) => [route.id, route] as const))(
    'documents If-Match, 412 and 428 for versioned %s',
    (_id, route) => {
      // Act
      const operation = operationOf(document(), route);

      // Assess
      expect(operation?.parameters).toContainEqual(
        expect.objectContaining({ name: 'if-match', in: 'header' }),
      );
      expect(operation?.responses).toHaveProperty('412');
      expect(operation?.responses).toHaveProperty('428');
    },
  );

  it.each(
    manifest.filter((route) => route.versioned === 'optional').map((route) => [route.id, route] as const),
  )('documents 412 and an optional If-Match, but no 428, for optionally versioned %s', (_id, route) => {
    // Act
    const operation = operationOf(document(), route);

    // Assess
    expect(operation?.responses).toHaveProperty('412');
    expect(operation?.responses).not.toHaveProperty('428');
    expect(operation?.parameters ?? []).toContainEqual(
      expect.objectContaining({ name: 'if-match', in: 'header', required: false }),
    );
  });

  it.each(manifest.filter((route) => route.path.includes('{')).map((route) => [route.id, route] as const))(
    'documents the required path parameters of %s',
    (_id, route) => {
      // Prepare
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);

      // Act
      const operation = operationOf(document(), route);

      // Assess
      const documented = (operation?.parameters ?? []).filter((p) => p.in === 'path');
      expect(documented.map((p) => p.name)).toEqual(names);
      expect(documented.every((p) => p.required === true)).toBe(true);
    },
  );

  it.each(manifest.filter((route) => route.request?.body).map((route) => [route.id, route] as const))(
    'documents a required body in its media type, 413 and 415 for %s',
    (_id, route) => {
      // Act
      const operation = operationOf(document(), route);

      // Assess
      expect(operation?.requestBody?.required).toBe(true);
      expect(Object.keys(operation?.requestBody?.content ?? {})).toEqual([bodyMediaType(route)]);
      expect(operation?.responses).toHaveProperty('413');
      expect(operation?.responses).toHaveProperty('415');
    },
  );

  it.each(manifest.map((route) => [route.id, route] as const))(
    'documents the success status of %s and problem+json for its errors',
    (_id, route) => {
      // Act
      const operation = operationOf(document(), route);

      // Assess
      expect(operation?.responses).toHaveProperty(String(route.response.status));
      const errors = Object.entries(operation?.responses ?? {}).filter(([status]) => Number(status) >= 400);
      expect(errors.map(([status]) => status)).toContain('500');
      for (const [, response] of errors)
        expect(response.content).toHaveProperty(['application/problem+json']);
    },
  );

  it.each(manifest.map((route) => [route.id, route] as const))(
    'documents 400 for %s, since every route rejects unknown query parameters',
    (_id, route) => {
      // Act
      const operation = operationOf(document(), route);

      // Assess
      expect(operation?.responses).toHaveProperty('400');
    },
  );
});
