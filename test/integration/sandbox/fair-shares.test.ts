import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classifyRunnerError, listToolsViaRunner } from '../../../core/adapters/runner/index.js'
import { syncServer } from '../../../core/tools/sync.js'
import { createApp } from '../../../functions/api/app.js'
import { apiCaller, newOrg, testDeps } from '../../support/deps.js'
import { FIXTURE, startTestRunner, stdio, type TestRunner } from '../runner/harness.js'

const HOSTILE = resolve('test/fixtures/runner/hostile-server.mjs')
// Long enough for a real server to start on a loaded machine; the never-ready ones use all of it.
const START_TIMEOUT_MS = 8_000
// Callers wait longer than the runner's own bounds, so every answer below is the runner's.
const CALLER = { connectTimeoutMs: 30_000, listTimeoutMs: 10_000 }

let runner: TestRunner
let deps: ReturnType<typeof testDeps>['deps']
let callA: ReturnType<typeof apiCaller>
let orgA: string
let orgB: string

const sync = (organizationId: string, id: string) =>
  syncServer(deps.sync, {
    organization_id: organizationId,
    server_id: id,
    config_version: 1,
    reason: 'created',
  })

const createA = async (name: string, args: string[]) => {
  const created = await callA('POST', '/v1/mcp-servers/', stdio(name, 'node', args))
  expect(created.status).toBe(200)
  return created.json.id as string
}

const inspect = async (id: string) => {
  const tools = (await callA('GET', `/v1/mcp-servers/${id}/tools`)).json as { id: string }[]
  const ran = await callA('POST', `/v1/mcp-servers/${id}/tools/${tools[0]!.id}/run`, { args: {} })
  expect([ran.status, ran.json.status]).toEqual([200, 'success'])
  return JSON.parse(ran.json.func_return as string) as { pid: number }
}

/** Servers of B that never answer `initialize`. */
const neverReady = (count: number, prefix: string) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      deps.registry.create(orgB, stdio(`${prefix}-${i}`, 'node', [HOSTILE, 'never-ready'])),
    ),
  )

const failure = (work: Promise<unknown>) =>
  work.then(
    () => 'answered',
    (error: unknown) => {
      // Only what a sync stores: the code and message (`transient` steers retries).
      const { code, message } = classifyRunnerError(error)
      return { code, message }
    },
  )

const STUCK = {
  code: 'other',
  message: `stdio server did not finish starting within ${START_TIMEOUT_MS} ms`,
}
const TURNED_AWAY = {
  code: 'unavailable',
  message:
    'The stdio runner cannot take it now (temporary): this organization already has 2 stdio servers starting; retry in 1 s',
}

beforeAll(async () => {
  // The runner's defaults (20 processes, 5 per organization, 2 starting at once), short waits.
  runner = await startTestRunner({ startTimeoutMs: START_TIMEOUT_MS, queueMs: 500 })
  ;({ deps } = testDeps({ runner: runner.client, ...CALLER }))
  const api = createApp(deps)
  const [ownerA, ownerB] = [await newOrg(deps), await newOrg(deps)]
  ;[orgA, orgB] = [ownerA.organizationId, ownerB.organizationId]
  callA = apiCaller(api, ownerA.auth)
}, 60_000)

afterAll(async () => {
  await runner?.runner.stop()
})

describe('fair shares of the runner', () => {
  it("Should keep another organization's servers working while one floods it with 21 never-ready servers", async () => {
    const existing = await createA('existing', [FIXTURE])
    expect(await sync(orgA, existing)).toMatchObject({ outcome: 'ok' })
    const before = await inspect(existing)
    const flood = await Promise.all((await neverReady(21, 'stuck')).map((s) => runner.target(s)))

    const [answers, during] = await Promise.all([
      Promise.all(flood.map((target) => failure(listToolsViaRunner(target, CALLER)))),
      (async () => {
        await new Promise((r) => setTimeout(r, 200))
        const fresh = await createA('fresh', [FIXTURE, 'v2'])
        return { fresh: await sync(orgA, fresh), existing: await inspect(existing) }
      })(),
    ])

    expect([during.fresh.outcome === 'ok' || during.fresh, during.existing.pid]).toEqual([
      true,
      before.pid,
    ])
    // Two start at once and time out; the rest wait 500 ms and are turned away. How many of each
    // depends on how spread out the requests arrive, never on anything but these two answers.
    const kinds = answers.map((a) =>
      JSON.stringify(a) === JSON.stringify(STUCK)
        ? 'stuck'
        : JSON.stringify(a) === JSON.stringify(TURNED_AWAY)
          ? 'turned away'
          : JSON.stringify(a),
    )
    expect([...new Set(kinds)].sort()).toEqual(['stuck', 'turned away'])
    expect(runner.pool.size).toBe(2)
  }, 90_000)

  it('Should show a sync turned away for lack of room as a temporary failure', async () => {
    const [first, second, third] = await neverReady(3, 'more')
    const targets = await Promise.all([first!, second!].map((s) => runner.target(s)))
    const holding = targets.map((target) => failure(listToolsViaRunner(target, CALLER)))
    await new Promise((r) => setTimeout(r, 300))

    const outcome = await sync(orgB, third!.id)

    expect(outcome).toMatchObject({
      outcome: 'failed',
      state: { status: 'failed', error: TURNED_AWAY },
    })
    expect(await Promise.all(holding)).toEqual([STUCK, STUCK])
  }, 30_000)
})
