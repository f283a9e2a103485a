/**
 * `/docs`: a self-contained HTML reference rendered from the OpenAPI document (no CDN scripts, so
 * it works offline on the local cloud and under a strict CSP in the cloud).
 */
const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Escapes text and renders `inline code` spans (descriptions are written in that markdown subset). */
const prose = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** Pretty JSON of a schema with every `$ref` to a component turned into a link to it. */
const schemaBlock = (schema: unknown): string =>
  `<pre>${escapeHtml(JSON.stringify(schema, null, 2)).replace(
    /&quot;#\/components\/schemas\/([^&]+)&quot;/g,
    (_m, name: string) => `<a href="#schema-${name}">${name}</a>`,
  )}</pre>`;

/** One line for a parameter's schema: type, enum, bounds, default. */
const schemaSummary = (schema: unknown): string => {
  if (!schema || typeof schema !== 'object') return '';
  const s = schema as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof s.type === 'string') parts.push(s.type);
  if (Array.isArray(s.enum))
    parts.push(`one of ${s.enum.map((v) => `<code>${escapeHtml(String(v))}</code>`).join(', ')}`);
  if (s.minimum !== undefined || s.maximum !== undefined) {
    parts.push(`${s.minimum ?? '…'}–${s.maximum ?? '…'}`);
  }
  if (s.default !== undefined) parts.push(`default <code>${escapeHtml(JSON.stringify(s.default))}</code>`);
  if (typeof s.format === 'string') parts.push(escapeHtml(s.format));
  return parts.length ? ` <small>(${parts.join('; ')})</small>` : '';
};

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Array<{
    name: string;
    in: string;
    required?: boolean;
    schema?: unknown;
    description?: string;
  }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }
  >;
}

export const docsPage = (document: Record<string, unknown>): string => {
  const info = document.info as { title: string; version: string; description?: string };
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'Other';
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${escapeHtml(p.name)}</code> <em>${escapeHtml(p.in)}</em>${p.required ? ' (required)' : ''}${schemaSummary(p.schema)}${p.description ? ` — ${prose(p.description)}` : ''}</li>`,
        )
        .join('');
      const body = op.requestBody?.content?.['application/json']?.schema;
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => {
          const ref = Object.values(r.content ?? {})[0]
            ?.schema?.$ref?.split('/')
            .at(-1);
          const link = ref ? ` → <a href="#schema-${escapeHtml(ref)}">${escapeHtml(ref)}</a>` : '';
          return `<li><code>${escapeHtml(status)}</code> ${escapeHtml(r.description ?? '')}${link}</li>`;
        })
        .join('');
      const html = `<section id="${escapeHtml(op.operationId ?? `${method}-${path}`)}">
<h3><span class="m ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
<p>${prose(op.summary ?? '')}${op.description ? ` <small>${prose(op.description)}</small>` : ''}</p>
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}
${body ? `<h4>Body</h4>${schemaBlock(body)}` : ''}
<h4>Responses</h4><ul>${responses}</ul></section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const schemas = (document.components as { schemas?: Record<string, unknown> } | undefined)?.schemas ?? {};
  const schemaHtml = Object.entries(schemas)
    .map(
      ([name, schema]) =>
        `<div class="schema" id="schema-${escapeHtml(name)}"><h3><code>${escapeHtml(name)}</code></h3>${schemaBlock(schema)}</div>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} — reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2330}
h2{border-bottom:1px solid #dde;margin-top:2.5rem}section{border:1px solid #e4e6ee;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
.m{font:600 12px monospace;padding:2px 6px;border-radius:4px;color:#fff;background:#667}.get{background:#2b7}.post{background:#27c}.patch{background:#c82}.put{background:#a6c}.delete{background:#c33}
.schema:target{outline:2px solid #27c;border-radius:6px}pre{background:#f5f6fa;padding:.75rem;overflow:auto;font-size:12px;border-radius:6px}small{color:#667}
</style></head><body>
<h1>${escapeHtml(info.title)} <small>v${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description ?? '')} Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
${[...byTag.entries()].map(([tag, ops]) => `<h2>${escapeHtml(tag)}</h2>\n${ops.join('\n')}`).join('\n')}
<h2>Schemas</h2>
${schemaHtml}
</body></html>`;
};
