import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ToolStore } from '../../../core/ports.js'
import { syncNow, syncServer, type SyncDeps } from '../../../core/tools/sync.js'
import { toolId } from '../../../core/tools/tool-id.js'
import {
  simpleTool,
  startMutableServer,
  type MutableServer,
} from '../../fixtures/mcp/mutable-server.js'
import { clientsFor } from '../../support/aws.js'
import { apiCaller, newOrg, testApp } from '../../support/deps.js'
import { privateQueue } from '../../support/queue.js'

const NAMES = ['alpha', 'beta', 'gamma']
let http: MutableServer

beforeAll(async () => {
  http = await startMutableServer(NAMES.map((name) => simpleTool(name)))
})
afterAll(async () => {
  await http?.close()
})

describe('A sync taken over while its writes are on their way', () => {
  it('Should leave every tool under the id the taking-over sync stored', async () => {
    const queueUrl = await privateQueue(clientsFor(inject('endpoints')).sqs, 'takeover')
    const { app, deps } = testApp({ syncQueueUrl: queueUrl })
    const org = await newOrg(deps)
    const call = apiCaller(app, org.auth)
    const created = await call('POST', '/v1/mcp-servers/', {
      server_name: 'raced',
      config: { mcp_server_type: 'streamable_http', server_url: http.url() },
    })
    const id = created.json.id as string

    // The worker's sync holds its writes back until the takeover has stored its own.
    let releaseSlow!: () => void
    const slowWrites = new Promise<void>((resolve) => (releaseSlow = resolve))
    let applying!: () => void
    const applyStarted = new Promise<void>((resolve) => (applying = resolve))
    const tools: ToolStore = Object.assign(Object.create(deps.sync.tools), {
      apply: async (...args: Parameters<ToolStore['apply']>) => {
        applying()
        await slowWrites
        return deps.sync.tools.apply(...args)
      },
    })
    const worker = syncServer({ ...deps.sync, tools } satisfies SyncDeps, {
      organization_id: org.organizationId,
      server_id: id,
      config_version: 1,
      reason: 'created',
    })
    await applyStarted
    const server = await deps.registry.get(org.organizationId, id)
    expect(await syncNow(deps.sync, server, 0)).toMatchObject({ outcome: 'ok', toolCount: 3 })
    const given = (await call('GET', `/v1/mcp-servers/${id}/tools`)).json as { id: string }[]
    releaseSlow()
    await worker

    const stored = (await call('GET', `/v1/mcp-servers/${id}/tools`)).json as {
      id: string
      name: string
    }[]
    expect(stored.map((t) => t.id).sort()).toEqual(given.map((t) => t.id).sort())
    expect(Object.fromEntries(stored.map((t) => [t.name, t.id]))).toEqual(
      Object.fromEntries(NAMES.map((name) => [name, toolId(id, name)])),
    )
  })
})

describe('toolId', () => {
  it('Should give a version 8 UUID per server and name, the same every time', () => {
    const a = toolId('mcp_server-1', 'echo')
    expect(a).toMatch(/^tool-[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(toolId('mcp_server-1', 'echo')).toBe(a)
    expect(new Set([a, toolId('mcp_server-2', 'echo'), toolId('mcp_server-1', 'echo2')]).size).toBe(
      3,
    )
    expect(toolId('a', 'b\0c')).not.toBe(toolId('a\0b', 'c'))
  })
})
