import { describe, expect, it } from 'vitest'
import { syncServer } from '../../../core/tools/sync.js'
import { simpleTool, startMutableServer } from '../../fixtures/mcp/mutable-server.js'
import { newOrg, testApp } from '../../support/deps.js'
import { injectFault } from '../../support/faults.js'
import { scanAll } from '../../support/scan.js'

const itemsOf = async (ctx: ReturnType<typeof testApp>, org: string) => {
  const items = await scanAll(ctx.deps, org)
  return items.map((i) => `${i.pk} ${i.sk}`).sort()
}

const create = (
  ctx: ReturnType<typeof testApp>,
  auth: Record<string, string>,
  name: string,
  url = 'https://e.com/mcp',
) =>
  ctx.app.request('/v1/mcp-servers/', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      server_name: name,
      config: {
        mcp_server_type: 'streamable_http',
        server_url: url,
        auth_token: 'fault-secret-9999',
      },
    }),
  })

describe('Faults in KMS and DynamoDB', () => {
  it('Should answer a clean 503 and write nothing when KMS keeps failing', async () => {
    const ctx = testApp()
    const org = await newOrg(ctx.deps)
    const before = await itemsOf(ctx, org.organizationId)
    const stop = injectFault(ctx.clients.kms, ['GenerateDataKey'], {
      name: 'KMSInternalException',
      status: 500,
    })
    const res = await create(ctx, org.auth, 'kms-down')
    stop()
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(await res.json()).toEqual({ detail: 'A backing service is unavailable; retry shortly' })
    expect(await itemsOf(ctx, org.organizationId)).toEqual(before)
    expect((await create(ctx, org.auth, 'kms-down')).status).toBe(200)
  })

  it('Should write neither the server nor its name claim when the transaction is throttled', async () => {
    const ctx = testApp()
    const org = await newOrg(ctx.deps)
    const before = await itemsOf(ctx, org.organizationId)
    const stop = injectFault(ctx.clients.dynamodb, ['TransactWriteItems'], {
      name: 'ThrottlingException',
      status: 400,
    })
    const res = await create(ctx, org.auth, 'ddb-throttled')
    stop()
    expect(res.status).toBe(503)
    expect(await itemsOf(ctx, org.organizationId)).toEqual(before)
    expect((await create(ctx, org.auth, 'ddb-throttled')).status).toBe(200)
  })

  it('Should retry a sync whose tool writes failed halfway and end with the full tool set', async () => {
    const ctx = testApp()
    const org = await newOrg(ctx.deps)
    const mcp = await startMutableServer(Array.from({ length: 80 }, (_, i) => simpleTool(`f${i}`)))
    try {
      const server = (await (await create(ctx, org.auth, 'flaky-writes', mcp.url())).json()) as {
        id: string
      }
      const message = {
        organization_id: org.organizationId,
        server_id: server.id,
        config_version: 1,
        reason: 'created' as const,
      }
      // Let two BatchWriteItem requests (50 tools) through, then fail every attempt of the rest.
      const stop = injectFault(
        ctx.clients.dynamodb,
        ['BatchWriteItem'],
        { name: 'ProvisionedThroughputExceededException', status: 400 },
        { after: 2 },
      )
      await expect(syncServer(ctx.deps.sync, message)).rejects.toMatchObject({
        name: 'ProvisionedThroughputExceededException',
      })
      stop()
      expect((await ctx.deps.tools.listAll(org.organizationId, server.id)).length).toBe(50)
      const afterFault = (await ctx.deps.registry.get(org.organizationId, server.id)).sync
      expect(afterFault).toMatchObject({
        status: 'failed',
        error: {
          code: 'other',
          message:
            'sync interrupted by a service fault (ProvisionedThroughputExceededException); it will be retried',
        },
      })
      // The worker released its lease, so SQS's redelivery syncs at once.
      expect(await syncServer(ctx.deps.sync, message)).toMatchObject({
        outcome: 'ok',
        toolCount: 80,
      })
      expect((await ctx.deps.tools.listAll(org.organizationId, server.id)).length).toBe(80)
    } finally {
      await mcp.close()
    }
  })
})
