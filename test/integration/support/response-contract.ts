/**
 * Every response the test API serves is checked against what the route documents
 * (`shared/capabilities/<name>/routes.ts`, the source of the OpenAPI document):
 * - the route's success status → its response schema (strictly: undocumented fields fail);
 * - a 4xx/5xx → `application/problem+json` with the RFC 9457 problem shape (`ProblemSchema`);
 * - any other status → a violation (the route documents one success status).
 * A violation makes the request answer 500 with the reasons, so the test that made it fails.
 * Tests that want another handler (`handlers` option) are not wrapped.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import type { AreaHandler } from '#infra/local/http';
import { ProblemSchema } from '#shared/http/openapi';
import { PROBLEM_CONTENT_TYPE } from '#shared/http/problem';
import { type RouteDef, responseContentTypes } from '#shared/http/route';
import { type Area, areaEntry, routeKey, routes } from '#shared/routes';

interface Result {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

const byKey = new Map<string, RouteDef>(routes.map((route) => [routeKey(route), route]));

/**
 * Makes every stripping object schema strict, so a field the route does not document is a
 * violation (objects documented as open, `.loose()` / `.catchall()`, stay open).
 */
const strict = (schema: z.ZodMiniType): z.ZodMiniType => {
  if (schema instanceof z.ZodMiniObject) {
    const shape = Object.fromEntries(
      Object.entries(schema.shape as Record<string, z.ZodMiniType>).map(([key, value]) => [
        key,
        strict(value),
      ]),
    );
    const deep = z.safeExtend(schema, shape);
    return schema._zod.def.catchall === undefined ? deep.clone({ ...deep.def, catchall: z.never() }) : deep;
  }
  if (schema instanceof z.ZodMiniUnion) return z.union((schema.def.options as z.ZodMiniType[]).map(strict));
  if (schema instanceof z.ZodMiniOptional) return z.optional(strict(schema.def.innerType as z.ZodMiniType));
  if (schema instanceof z.ZodMiniNullable) return z.nullable(strict(schema.def.innerType as z.ZodMiniType));
  if (schema instanceof z.ZodMiniArray) return z.array(strict(schema.def.element as z.ZodMiniType));
  return schema;
};

const header = (headers: Record<string, string> | undefined, name: string): string | undefined =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

/** The reasons `result` breaks the contract of `route` (empty when it keeps it). */
export const contractViolations = (route: RouteDef, result: Result): string[] => {
  const status = result.statusCode ?? 200;
  const contentType = header(result.headers, 'content-type') ?? '';
  const text = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64').toString('utf8')
    : (result.body ?? '');
  const parse = (schema: z.ZodMiniType, what: string): string[] => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return [`${what}: the body is not JSON`];
    }
    const parsed = schema.safeParse(json);
    return parsed.success
      ? []
      : parsed.error.issues
          .slice(0, 5)
          .map((issue) => `${what}: ${issue.path.join('.') || '(root)'} ${issue.message}`);
  };
  if (status >= 400) {
    const problems = contentType.startsWith(PROBLEM_CONTENT_TYPE)
      ? []
      : [`${status} without ${PROBLEM_CONTENT_TYPE}`];
    const parsed = parse(ProblemSchema, `${status} problem`);
    const body = parsed.length === 0 ? (JSON.parse(text) as { status?: number }) : undefined;
    if (body && body.status !== status)
      problems.push(`problem.status ${body.status} is not the HTTP status ${status}`);
    return [...problems, ...parsed];
  }
  if (status !== route.response.status) return [`status ${status}, documented ${route.response.status}`];
  if (route.response.schema === null) return text === '' ? [] : [`${status} has a body, documented none`];
  const documented = responseContentTypes(route);
  if (documented.length > 0 && !documented.some((type) => contentType.startsWith(type))) {
    return [`content-type ${contentType}, documented ${documented.join(' or ')}`];
  }
  if (documented.length > 0 && !documented.some((type) => type.includes('json'))) return [];
  return parse(strict(route.response.schema), `${status} ${route.id}`);
};

/** The area's real handler, with every response checked against its route's contract. */
export const contractCheckedHandler = (area: Area, repoRoot: string): AreaHandler => {
  let handler: Promise<AreaHandler> | undefined;
  return async (event, context: Context) => {
    handler ??= import(`${repoRoot}${areaEntry(area)}`).then(
      (module: { handler: AreaHandler }) => module.handler,
    );
    const result = (await (await handler)(event, context)) as Result;
    const route = byKey.get(event.routeKey);
    if (!route) return result;
    const violations = contractViolations(route, result);
    if (violations.length > 0) {
      throw new Error(`${event.routeKey} broke its documented response contract: ${violations.join('; ')}`);
    }
    return result;
  };
};
