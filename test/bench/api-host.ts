/**
 * The API in a process of its own, as the API Lambda runs it: no emulator, poller, sync worker or
 * fixture shares its event loop. The load clients and the storage floor run here too, so creates
 * and their floor meet the same load. Driven over IPC by load.ts: each message is one phase.
 */
import { randomUUID } from 'node:crypto'
import { Agent, request as httpRequest } from 'node:http'
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { nameClaimItem, serverItem } from '../../core/adapters/dynamo/server-item.js'
import { sealSecrets } from '../../core/crypto/envelope.js'
import { masksFor } from '../../core/registry/secrets.js'
import { pendingSync } from '../../core/registry/sync-state.js'
import type { ServerRecord } from '../../core/registry/types.js'
import { createApp } from '../../functions/api/app.js'
import { buildDeps, type Deps } from '../../functions/deps.js'
import { clientsFor } from '../support/aws.js'
import { serveApp } from '../support/serve.js'
import { runConcurrently, runTimed } from './stats.js'
import type { HostRequest, Org, TimedRequest } from './api-host-protocol.js'

const silent = { debug() {}, info() {}, warn() {}, error() {} }
let deps: Deps
/** Each create's time inside the app (from Hono's fetch to its Response), without the HTTP hop. */
const handlerMs: number[] = []
let api: Awaited<ReturnType<typeof serveApp>>

// The clients share this process with the API (in production they are elsewhere), so they use
// node:http with keep-alive, which costs the event loop far less than fetch's web streams.
const agent = new Agent({ keepAlive: true, maxSockets: 64 })

const request = (org: Org, method: string, path: string, body?: unknown) =>
  new Promise<unknown>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const headers: Record<string, string | number> = { authorization: `Bearer ${org.key}` }
    if (payload !== undefined) {
      headers['content-type'] = 'application/json'
      headers['content-length'] = Buffer.byteLength(payload)
    }
    const req = httpRequest(`${api.baseURL}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        const status = res.statusCode ?? 0
        if (status >= 300) reject(new Error(`${method} ${path} answered ${status}: ${text}`))
        else resolve(text ? JSON.parse(text) : null)
      })
    })
    req.on('error', reject)
    req.end(payload)
  })

/**
 * What a create costs underneath: the same data key, the same transaction (the very items a create
 * of the same body writes, built by the same item builders) and the same queue message, direct.
 */
const storageFloor = async (name: string, serverUrl: string) => {
  const org = 'floor'
  const id = `mcp_server-${randomUUID()}`
  const now = new Date().toISOString()
  const secrets = { authToken: `Bearer ${name}-secret-abcdef` }
  const server: ServerRecord = {
    organizationId: org,
    id,
    name,
    type: 'streamable_http',
    serverUrl,
    authHeader: 'Authorization',
    masks: masksFor(secrets),
    sync: pendingSync(),
    configVersion: 1,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    sealed: await sealSecrets(deps.keys, { organization_id: org, mcp_server_id: id }, secrets),
  }
  const put = (Item: Record<string, unknown>) => ({
    Put: {
      TableName: deps.config.tableName,
      Item,
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  })
  await deps.db.send(
    new TransactWriteCommand({
      TransactItems: [put(serverItem(server)), put(nameClaimItem(server))],
    }),
  )
  await deps.queue.send({
    organization_id: org,
    server_id: id,
    config_version: 1,
    reason: 'created',
  })
}

type Job = { kind: 'create'; org: number; id: string } | { kind: 'floor' }

const phases = {
  async start(input: Extract<HostRequest, { phase: 'start' }>) {
    deps = buildDeps(input.config, clientsFor(input.endpoints), silent)
    const app = createApp(deps)
    api = await serveApp({
      fetch: async (req: Request) => {
        const start = performance.now()
        const res = await app.fetch(req)
        if (req.method === 'POST') handlerMs.push(performance.now() - start)
        return res
      },
    })
    return { baseURL: api.baseURL }
  },
  /** Creates and their storage floor interleaved, `clients` at a time. */
  async mixed(input: Extract<HostRequest, { phase: 'mixed' }>) {
    const runs = await runTimed<Job>(
      Array.from({ length: input.servers * 2 }, (_, n) => {
        const i = Math.floor(n / 2)
        if (n % 2) {
          return async () => (await storageFloor(`floor-${i}`, input.serverUrl), { kind: 'floor' })
        }
        return async () => {
          const org = i % input.orgs.length
          const server = (await request(input.orgs[org] as Org, 'POST', '/v1/mcp-servers/', {
            server_name: `load-${i}`,
            config: {
              mcp_server_type: 'streamable_http',
              server_url: input.serverUrl,
              auth_token: `load-secret-${i}-abcdef`,
            },
          })) as { id: string }
          return { kind: 'create', org, id: server.id }
        }
      }),
      input.clients,
    )
    const creates = runs.filter((r) => r.result.kind === 'create')
    return {
      creates: creates.map((r) => r.result as Extract<Job, { kind: 'create' }>),
      createMs: creates.map((r) => r.ms),
      floorMs: runs.filter((r) => r.result.kind === 'floor').map((r) => r.ms),
      handlerMs: handlerMs.splice(0),
      wallMs: runs.wallMs,
    }
  },
  /** The given requests, `clients` at a time; their latencies. */
  async requests(input: Extract<HostRequest, { phase: 'requests' }>) {
    const run = await runConcurrently(
      input.requests.map((r: TimedRequest) => () => request(r.org, r.method, r.path)),
      input.clients,
    )
    return { latencies: run.latencies, wallMs: run.wallMs }
  },
  async stop() {
    await api?.close()
    setImmediate(() => process.exit(0))
    return {}
  },
}

process.on('message', (message: HostRequest & { seq: number }) => {
  const phase = phases[message.phase] as (input: HostRequest) => Promise<unknown>
  phase(message).then(
    (result) => process.send?.({ seq: message.seq, result }),
    (error: unknown) => process.send?.({ seq: message.seq, error: String(error) }),
  )
})
