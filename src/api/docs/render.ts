import { escapeHtml, page } from './html.ts'
import { type JsonSchema, schemaText } from './schema-text.ts'

// /api/docs is rendered on the server from the same OpenAPI document as /api/openapi.json, so the
// two cannot disagree. Why not Swagger UI, Redoc or Scalar: each is a 1-3 MB browser bundle (or a
// CDN loader, useless on an offline LAN) that would need script exceptions in the CSP; this page is
// plain HTML with one inline stylesheet, readable in any browser, even with JavaScript off.

interface Operation {
  summary?: string
  description?: string
  tags?: string[]
  security?: Record<string, string[]>[]
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema; description?: string }[]
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>
}

export interface OpenApiDocument {
  info: { title: string; version: string; description?: string }
  paths?: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, JsonSchema> }
  security?: Record<string, string[]>[]
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete']
export const NONCE_SLOT = '%%NONCE%%'

/** The page with a placeholder where each response puts its own CSP nonce. */
export function renderDocs(doc: OpenApiDocument): string {
  const ops: { method: string; path: string; op: Operation }[] = []
  for (const [path, item] of Object.entries(doc.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const method of METHODS) if (item[method]) ops.push({ method, path, op: item[method] as Operation })
  }
  const tags = [...new Set(ops.map((o) => o.op.tags?.[0] ?? 'other'))]
  const sections = tags.map((tag) => {
    const body = ops
      .filter((o) => (o.op.tags?.[0] ?? 'other') === tag)
      .map((o) => operation(o.method, o.path, o.op, doc))
    return `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${body.join('')}`
  })
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(
    ([name, schema]) =>
      `<h3 id="schema-${escapeHtml(name)}">${escapeHtml(name)}</h3><pre>${schemaText(schema)}</pre>`,
  )
  const body = `
<h1>${escapeHtml(doc.info.title)} <span class="muted">${escapeHtml(doc.info.version)}</span></h1>
<p>${escapeHtml(doc.info.description ?? '')}</p>
<p>Authenticate with <code>Authorization: Bearer &lt;token&gt;</code> (create tokens at <code>POST /api/tokens</code>,
or take the <code>token</code> from <code>POST /api/auth/login</code>), or with the session cookie set by login.
Errors are <code>application/problem+json</code> with a stable <code>code</code>.
The machine-readable document is <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<nav>${tags.map((t) => `<a href="#tag-${escapeHtml(t)}">${escapeHtml(t)}</a>`).join('')}<a href="#schemas">schemas</a></nav>
${sections.join('')}
<h2 id="schemas">schemas</h2>${schemas.join('')}`
  return page({ title: `${doc.info.title} — API`, nonce: NONCE_SLOT, body })
}

function operation(method: string, path: string, op: Operation, doc: OpenApiDocument): string {
  const open = (op.security ?? doc.security ?? []).length === 0
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}${p.required ? '' : ', optional'}</td><td><code>${schemaText(p.schema)}</code></td><td>${escapeHtml(p.description ?? p.schema?.description ?? '')}</td></tr>`,
    )
    .join('')
  const body = op.requestBody?.content?.['application/json']?.schema
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => {
      const schema = r.content?.['application/json']?.schema
      return `<tr><td><code>${escapeHtml(status)}</code></td><td>${escapeHtml(r.description ?? '')}${schema ? `<pre>${schemaText(schema)}</pre>` : ''}</td></tr>`
    })
    .join('')
  return `<div class="op" id="${escapeHtml(`${method}-${path}`)}">
<h3><span class="m m-${method}">${method.toUpperCase()}</span>${escapeHtml(path)}${open ? '<span class="badge">no auth</span>' : ''}</h3>
<p>${escapeHtml(op.summary ?? '')}</p>${op.description ? `<p class="muted">${escapeHtml(op.description)}</p>` : ''}
${params ? `<table><tr><th>parameter</th><th>in</th><th>type</th><th></th></tr>${params}</table>` : ''}
${body ? `<p><b>body</b> <code>application/json</code></p><pre>${schemaText(body)}</pre>` : ''}
<table><tr><th>status</th><th>response</th></tr>${responses}</table></div>`
}
