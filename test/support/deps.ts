import { inject } from 'vitest'
import { record } from '../setup/audit.js'
import { createApiKey } from '../../core/auth.js'
import type { Config } from '../../core/config.js'
import type { Log } from '../../core/ports.js'
import { createApp } from '../../functions/api/app.js'
import { buildDeps } from '../../functions/deps.js'
import { clientsFor } from './aws.js'

/** Log lines kept in memory, so tests can assert on them (and that no secret is in them). */
export const memoryLog = () => {
  const lines: { level: string; message: string; extra: unknown[] }[] = []
  const at =
    (level: string) =>
    (message: string, ...extra: unknown[]) => {
      lines.push({ level, message, extra })
      record(inject('auditDir'), 'log', JSON.stringify({ level, message, extra }))
    }
  const log: Log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
  return { log, lines }
}

export const testConfig = (overrides: Partial<Config> = {}): Config => {
  const provisioned = inject('provisioned')
  return {
    tableName: provisioned.tableName,
    syncQueueUrl: provisioned.queueUrl,
    kmsKeyId: provisioned.keyAlias,
    allowPrivateUrls: true,
    version: 'test',
    connectTimeoutMs: 5000,
    listTimeoutMs: 5000,
    refreshTimeoutMs: 10_000,
    runTimeoutMs: 5_000,
    oauthWaitMs: 30_000,
    keepAliveMs: 15_000,
    ...overrides,
  }
}

/** Deps wired to the emulators, as the Lambda functions wire them to AWS. */
export const testDeps = (overrides: Partial<Config> = {}) => {
  const { log, lines } = memoryLog()
  const clients = clientsFor(inject('endpoints'))
  const deps = buildDeps(testConfig(overrides), clients, log)
  return { deps, clients, lines }
}

let counter = 0
/** A fresh organization with its own key, so tests sharing the table never see each other. */
export const newOrg = async (deps: ReturnType<typeof testDeps>['deps']) => {
  const organizationId = `org-${process.pid}-${Date.now().toString(36)}-${counter++}`
  const key = await createApiKey(deps.apiKeys, organizationId)
  return { organizationId, key, auth: { authorization: `Bearer ${key}` } }
}

/** The API over emulator-backed deps; every response body also goes to the secrets audit. */
export const testApp = (overrides: Partial<Config> = {}) => {
  const built = testDeps(overrides)
  const app = createApp(built.deps)
  const fetch = app.fetch
  app.fetch = async (...args: Parameters<typeof fetch>) => {
    const res = await fetch(...args)
    const text = res.clone().text()
    const recorded = text.then((body) => record(inject('auditDir'), 'response', body))
    // An event stream is recorded once it ends; waiting for that here would hold it back.
    if (res.headers.get('content-type')?.startsWith('text/event-stream'))
      recorded.catch(() => undefined)
    else await recorded
    return res
  }
  return { ...built, app }
}

/** JSON requests to an app as one organization: `{ status, json }` (null for an empty body). */
export const apiCaller =
  (app: { request: ReturnType<typeof createApp>['request'] }, auth: Record<string, string>) =>
  async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, json: (text ? JSON.parse(text) : null) as any }
  }
