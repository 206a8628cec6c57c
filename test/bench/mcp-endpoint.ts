import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createApiKey } from '../../core/auth.js'
import { syncServer } from '../../core/tools/sync.js'
import { createApp } from '../../functions/api/app.js'
import { serveApp } from '../support/serve.js'
import { summarize } from './stats.js'
import type { BenchContext, Row } from './types.js'

const ORG = 'bench-mcp'
const LIST_ROUNDS = 20
const CALL_ROUNDS = 50

const connect = async (url: string, headers: Record<string, string> = {}) => {
  const client = new Client({ name: 'bench', version: '1.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  )
  return client
}

const listAll = async (client: Client) => {
  let count = 0
  let cursor: string | undefined
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor })
    count += page.tools.length
    cursor = page.nextCursor
  } while (cursor !== undefined)
  return count
}

const timed = async (rounds: number, work: () => Promise<unknown>) => {
  const samples: number[] = []
  const began = performance.now()
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    await work()
    samples.push(performance.now() - start)
  }
  return summarize(samples, performance.now() - began)
}

/**
 * `/v1/mcp` for an organization with 1,000 synced tools: the whole `tools/list` (every page) and a
 * `tools/call` round trip, each against the same operation on the upstream directly as the floor.
 */
export const benchMcpEndpoint = async (ctx: BenchContext): Promise<Row[]> => {
  const { deps } = ctx
  const key = await createApiKey(deps.apiKeys, ORG)
  const upstream = ctx.fixtures[0]?.url() ?? ''
  const server = await deps.registry.create(ORG, {
    server_name: 'paged',
    config: { mcp_server_type: 'streamable_http', server_url: upstream },
  })
  await syncServer(deps.sync, {
    organization_id: ORG,
    server_id: server.id,
    config_version: 1,
    reason: 'created',
  })
  const served = await serveApp(createApp(deps))
  const hangar = await connect(`${served.baseURL}/v1/mcp`, { authorization: `Bearer ${key}` })
  const direct = await connect(upstream)
  try {
    const listed = await listAll(hangar)
    if (listed !== 1000) throw new Error(`/v1/mcp listed ${listed} tools, not 1000`)
    await listAll(direct)
    const list = await timed(LIST_ROUNDS, () => listAll(hangar))
    const listFloor = await timed(LIST_ROUNDS, () => listAll(direct))
    const storage = await timed(LIST_ROUNDS, async () => {
      let after: string | undefined
      do after = (await deps.tools.pageOrganization(ORG, { limit: 500, after })).next
      while (after)
    })
    const args = { name: 'paged__tool-00007', arguments: { n: 1 } }
    await hangar.callTool(args)
    const call = await timed(CALL_ROUNDS, () => hangar.callTool(args))
    const callFloor = await timed(CALL_ROUNDS, () =>
      direct.callTool({ name: 'tool-00007', arguments: { n: 1 } }),
    )
    const fresh = await timed(CALL_ROUNDS, async () => {
      const client = await connect(upstream)
      await client.callTool({ name: 'tool-00007', arguments: { n: 1 } })
      await client.close()
    })
    const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10
    return [
      {
        name: '/v1/mcp tools/list, 1,000-tool org (all pages): p50',
        value: list.p50,
        unit: 'ms',
        target: '< 500 ms',
        ok: list.p50 < 500,
      },
      {
        name: '  floor: the same list from the upstream directly, p50',
        value: listFloor.p50,
        unit: 'ms',
      },
      { name: '  of which storage: the DynamoDB pages alone, p50', value: storage.p50, unit: 'ms' },
      {
        name: '/v1/mcp tools/call round trip: p50',
        value: call.p50,
        unit: 'ms',
        target: '< 100 ms',
        ok: call.p50 < 100,
      },
      {
        name: '  floor: tools/call on a connected upstream client, p50',
        value: callFloor.p50,
        unit: 'ms',
      },
      {
        name: '  floor: connect + tools/call + close on the upstream, p50',
        value: fresh.p50,
        unit: 'ms',
      },
      {
        name: '/v1/mcp tools/call vs connected upstream call',
        value: ratio(call.p50, callFloor.p50),
        unit: 'x',
      },
    ]
  } finally {
    await Promise.all([hangar.close(), direct.close()])
    await served.close()
  }
}
