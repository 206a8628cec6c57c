import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { OpenApiDocument } from './document.js'

/**
 * /docs: Swagger UI (swagger-ui-dist, from npm) rendering /openapi.json, with every file served by
 * Hangar itself, so the reference works offline and loads nothing from a CDN. On Lambda the
 * package is installed beside the bundle (infra/api.ts).
 */
const ASSETS: Record<string, { file?: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  'init.js': { type: 'text/javascript; charset=utf-8' },
}

// Its own file rather than an inline script, so a strict Content-Security-Policy can apply.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  defaultModelsExpandDepth: 1,
  defaultModelExpandDepth: 3,
  displayRequestDuration: true,
  persistAuthorization: false,
})
`

const distDir = () =>
  dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

const cache = new Map<string, Buffer>()

/** One of the reference's files, or undefined for any other name. */
export const docsAsset = async (
  name: string,
): Promise<{ body: Buffer; type: string } | undefined> => {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined
  if (!asset) return undefined
  let body = cache.get(name)
  if (!body) {
    body = asset.file ? await readFile(join(distDir(), asset.file)) : Buffer.from(INIT)
    cache.set(name, body)
  }
  return { body, type: asset.type }
}

export const docsPage = (doc: OpenApiDocument) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${doc.info.title} API reference</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <noscript>
      <p>This reference needs JavaScript; the machine-readable description is <a href="/openapi.json">/openapi.json</a>.</p>
    </noscript>
    <div id="reference"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/init.js"></script>
  </body>
</html>
`
