import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callToolViaRunner } from '../../../core/adapters/runner/index.js'
import { LIMITS, startTestRunner, stdio, type TestRunner } from '../runner/harness.js'

const HOSTILE = resolve('test/fixtures/runner/hostile-server.mjs')

let ctx: TestRunner

beforeAll(async () => {
  ctx = await startTestRunner()
})

afterAll(async () => {
  await ctx?.runner.stop()
})

const call = async (org: string, name: string, args: Record<string, unknown>) => {
  const server = await ctx.deps.registry.create(org, stdio(name, 'node', [HOSTILE]))
  const result = await callToolViaRunner(await ctx.target(server), 'cache', args, LIMITS)
  return JSON.parse((result.content as { text: string }[])[0]!.text)
}

describe("an organization's package cache", () => {
  it('Should be shared by the servers of one organization and closed to every other', async () => {
    const [x, y] = [(await ctx.newOrg()).organizationId, (await ctx.newOrg()).organizationId]

    const written = await call(x, 'first', { write: 'package bytes' })
    const sameOrg = await call(x, 'second', {})
    const otherOrg = await call(y, 'other', { path: written.value })
    const otherFeeds = await call(y, 'feeder', { path: written.value, write: 'poison' })

    expect([written.ok, sameOrg]).toEqual([true, { ok: true, value: 'package bytes' }])
    expect([otherOrg.code, otherFeeds.code]).toEqual(['EACCES', 'EACCES'])
    expect(new Set(ctx.pool.pids()).size).toBe(4)
  })
})
