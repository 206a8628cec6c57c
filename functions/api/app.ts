import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Log, ToolStore } from '../../core/ports.js'
import type { Registry } from '../../core/registry/service.js'
import type { SyncDeps } from '../../core/tools/sync.js'
import type { RunDeps } from '../../core/tools/run.js'
import type { Env } from './env.js'
import { errorHandler } from './errors.js'
import { longIdsNotFound } from './ids.js'
import { docsAsset, docsPage } from './openapi/docs-page.js'
import { openApiDocument } from './openapi/document.js'
import { legacyRoutes } from './routes/legacy.js'
import { mcpRoutes } from './routes/mcp.js'
import { schemaRoutes } from './routes/schemas.js'
import { oauthCallbackRoute, serverOAuthRoutes } from './routes/oauth.js'
import { CALLBACK_PATH } from './sse.js'
import type { OAuthDeps } from '../../core/oauth/deps.js'
import { serverRoutes } from './routes/servers.js'
import { serverToolRoutes, toolRoutes } from './routes/tools.js'

export interface AppDeps {
  registry: Registry
  tools: ToolStore
  sync: SyncDeps
  run: RunDeps
  config: {
    refreshTimeoutMs: number
    publicUrl?: string
    oauthWaitMs?: number
    keepAliveMs?: number
  }
  oauth: OAuthDeps
  /** `client`: who sent the request, for limiting failed keys per client. */
  authenticate(header: string | undefined, client?: string): Promise<string>
  log: Log
  version: string
}

const MAX_BODY_BYTES = 256 * 1024

export const createApp = (deps: AppDeps) => {
  const app = new Hono<Env>({ strict: false })
  app.onError(errorHandler(deps.log))
  app.notFound((c) => c.json({ detail: 'Not Found' }, 404))

  // Not strict: `/v1/mcp-servers/` (what the client calls) and `/v1/mcp-servers` are one route.
  app.get('/v1/health', (c) => c.json({ status: 'ok', version: deps.version }, 200))

  const doc = openApiDocument(deps.version)
  app.get('/openapi.json', (c) => c.json(doc, 200))
  app.get('/docs', (c) => c.html(docsPage(doc)))
  app.get('/docs/assets/:file', async (c) => {
    const asset = await docsAsset(c.req.param('file'))
    if (!asset) return c.json({ detail: 'Not Found' }, 404)
    return c.body(new Uint8Array(asset.body), 200, {
      'content-type': asset.type,
      'cache-control': 'public, max-age=86400',
    })
  })

  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ detail: `body: larger than ${MAX_BODY_BYTES} bytes` }, 413),
    }),
  )
  // Before the API-key check: the authorization server redirects a browser here, with no key.
  app.route(CALLBACK_PATH, oauthCallbackRoute(deps.oauth))
  app.use('/v1/*', async function authenticate(c, next) {
    // The front door appends the address it saw; anything to its left is the caller's own say.
    const client = c.req.header('x-forwarded-for')?.split(',').pop()?.trim()
    c.set('organizationId', await deps.authenticate(c.req.header('authorization'), client))
    await next()
  })
  app.use('/v1/*', longIdsNotFound)
  app.route('/v1', mcpRoutes({ run: deps.run, servers: deps.registry, version: deps.version }))
  app.route('/v1/mcp-servers', serverRoutes(deps.registry, deps.oauth))
  app.route(
    '/v1/mcp-servers',
    serverToolRoutes({
      ...deps,
      refreshWaitMs: deps.config.refreshTimeoutMs / 2,
      connect: {
        publicUrl: deps.config.publicUrl,
        waitMs: deps.config.oauthWaitMs ?? 300_000,
        pollMs: 1000,
        keepAliveMs: deps.config.keepAliveMs ?? 15_000,
      },
    }),
  )
  app.route(
    '/v1/tools/mcp/servers',
    legacyRoutes({ ...deps, refreshWaitMs: deps.config.refreshTimeoutMs / 2 }),
  )
  app.route('/v1/mcp-servers', serverOAuthRoutes(deps.registry, deps.oauth))
  app.route('/v1/tools', toolRoutes(deps.tools))
  app.route('/v1/schemas', schemaRoutes())
  return app
}

export type App = ReturnType<typeof createApp>
