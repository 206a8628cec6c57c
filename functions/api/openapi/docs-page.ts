import { html, raw } from 'hono/html'
import type { OpenApiDocument } from './document.js'

interface Operation {
  operationId: string
  responses: Record<string, { description: string }>
}

const escape = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch,
  )

const section = (method: string, path: string, op: Operation) => {
  const responses = Object.entries(op.responses)
    .map(([status, r]) => `<li><b>${status}</b> ${escape(r.description)}</li>`)
    .join('')
  return `<section><div><span class="m">${method.toUpperCase()}</span><code>${escape(path)}</code> <small>${op.operationId}</small></div><ul>${responses}</ul></section>`
}

/** A self-contained HTML reference generated from the OpenAPI document (no scripts, no CDN). */
export const docsPage = (doc: OpenApiDocument) => {
  const sections = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, unknown>)
      .filter(([method]) => method !== 'parameters')
      .map(([method, op]) => section(method, path, op as Operation)),
  )
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${doc.info.title} API</title>
        <style>
          body {
            font:
              15px/1.5 system-ui,
              sans-serif;
            max-width: 60rem;
            margin: 2rem auto;
            padding: 0 1rem;
          }
          code {
            background: #f3f3f3;
            padding: 0 0.25rem;
          }
          .m {
            font-weight: 700;
            display: inline-block;
            width: 4.5rem;
          }
          section {
            border-top: 1px solid #ddd;
            padding: 0.5rem 0;
          }
        </style>
      </head>
      <body>
        <h1>${doc.info.title} API ${doc.info.version}</h1>
        <p>${doc.info.description}</p>
        <p>
          Authenticate with <code>Authorization: Bearer &lt;key&gt;</code>. Machine-readable:
          <a href="/openapi.json">/openapi.json</a>.
        </p>
        ${raw(sections.join('\n'))}
      </body>
    </html>`
}
