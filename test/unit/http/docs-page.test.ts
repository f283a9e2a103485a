/** The /docs page renders the real OpenAPI document into linked, escaped HTML. */
import { describe, expect, it } from 'vitest';
import { docsPage } from '#shared/http/docs-page';
import { openApiDocument } from '#shared/http/openapi';

describe('Function: docsPage', () => {
  it('links every referenced schema to its section on the page', () => {
    // Act
    const html = docsPage(openApiDocument());

    // Assess
    const linked = [...html.matchAll(/href="#schema-([^"]+)"/g)].map((m) => m[1]);
    expect(linked).toContain('CustomerCreate');
    for (const name of new Set(linked)) expect(html).toContain(`id="schema-${name}"`);
  });

  it('renders inline code in descriptions and escapes everything else', () => {
    // Prepare
    const document = {
      info: { title: 'T <x>', version: '1' },
      paths: {
        '/a': { get: { summary: 'Uses `relay/a.read` & <b>', responses: { 200: { description: 'ok' } } } },
      },
    };

    // Act
    const html = docsPage(document);

    // Assess
    expect(html).toContain('Uses <code>relay/a.read</code> &amp; &lt;b&gt;');
    expect(html).toContain('<title>T &lt;x&gt; — reference</title>');
  });

  it('summarises a parameter schema with its type, bounds and default', () => {
    // Act
    const html = docsPage(openApiDocument());

    // Assess
    expect(html).toContain(
      '<code>limit</code> <em>query</em> <small>(integer; 1–200; default <code>50</code>)</small>',
    );
  });
});
