/**
 * The API docs page (`GET /docs`, Swagger UI) and its files (`GET /docs/assets/{file}`), through
 * the real system function: the page loads only allow-listed files of this API under a strict
 * Content-Security-Policy, and the asset route serves exactly the allow-list.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { handler as system } from '#functions/http/system/index';
import { DOCS_CSP, docsAssets } from '#shared/capabilities/system/docs-assets';
import { PROBLEM_CONTENT_TYPE } from '#shared/http/problem';
import { httpEvent, lambdaContext } from '#test/unit/support/events';

const getPage = () => system(httpEvent({ routeKey: 'GET /docs', path: '/docs' }), lambdaContext());

const getAsset = (file: string, rawPath = `/docs/assets/${encodeURIComponent(file)}`) =>
  system(
    httpEvent({ routeKey: 'GET /docs/assets/{file}', path: rawPath, pathParameters: { file } }),
    lambdaContext(),
  );

/** The CSP as directive → sources. */
const directives = (csp: string): Map<string, string[]> =>
  new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name = '', ...sources]) => [name, sources]),
  );

describe('Route: GET /docs', () => {
  it('serves an HTML page whose scripts and stylesheet are allow-listed docs assets', async () => {
    // Act
    const response = await getPage();

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/html');
    const html = response.body ?? '';
    const referenced = [...html.matchAll(/(?:src|href)="docs\/assets\/([^"]+)"/g)].map((m) => m[1]);
    expect(referenced.sort()).toEqual(['docs-init.js', 'swagger-ui-bundle.js', 'swagger-ui.css']);
    for (const file of referenced) expect(Object.keys(docsAssets)).toContain(file);
  });

  it('has no inline script: every script element loads a file and has no body, no event handler attributes', async () => {
    // Act
    const html = (await getPage()).body ?? '';

    // Assess
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts).toHaveLength(2);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="docs\/assets\/[^"]+"/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('sends a Content-Security-Policy that allows scripts from the API only', async () => {
    // Act
    const response = await getPage();

    // Assess
    expect(response.headers?.['content-security-policy']).toBe(DOCS_CSP);
    const csp = directives(String(response.headers?.['content-security-policy']));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [, sources] of csp) {
      expect(sources).not.toContain('*');
      expect(sources.filter((s) => s.startsWith('http'))).toEqual([]);
    }
  });
});

describe('Route: GET /docs/assets/{file}', () => {
  const require = createRequire(import.meta.url);

  it.each([
    ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8', 'swagger-ui-dist/swagger-ui-bundle.js'],
    ['swagger-ui.css', 'text/css; charset=utf-8', 'swagger-ui-dist/swagger-ui.css'],
  ])('serves %s from swagger-ui-dist as %s, cacheable', async (file, contentType, packageFile) => {
    // Act
    const response = await getAsset(file);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': contentType,
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
    });
    expect(response.body).toBe(readFileSync(require.resolve(packageFile), 'utf8'));
  });

  it('serves the init script that starts Swagger UI on the OpenAPI document', async () => {
    // Act
    const response = await getAsset('docs-init.js');

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.body).toContain('SwaggerUIBundle(');
    expect(response.body).toContain('openapiUrl');
  });

  it('answers the same file again from the container cache', async () => {
    // Prepare
    const first = await getAsset('swagger-ui.css');

    // Act
    const second = await getAsset('swagger-ui.css');

    // Assess
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
  });

  it.each([
    ['an unknown file', 'logo.png'],
    ['a file of the package that is not listed', 'swagger-ui-bundle.js.map'],
    ['a file beside the handler that is not listed', 'docs-asset.ts'],
    ['the package index page', 'index.html'],
    ['a traversal to the package manifest', '../package.json'],
    ['an encoded traversal as API Gateway decodes it', '..%2Fpackage.json'],
    ['a traversal to the repository root', '../../../package.json'],
    ['an absolute path', '/etc/passwd'],
    ['an object prototype key', '__proto__'],
    ['an inherited property', 'constructor'],
    ['the empty name', ''],
  ])('answers 404 problem+json for %s', async (_case, file) => {
    // Act
    const response = await getAsset(file);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ status: 404 });
  });
});
