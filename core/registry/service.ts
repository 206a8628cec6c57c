import { checkInput } from './input-rules.js'
import { randomUUID } from 'node:crypto'
import { openSecrets, sealSecrets } from '../crypto/envelope.js'
import { AppError } from '../errors.js'
import { checkServerUrl } from '../net/url.js'
import type { Clock, DataKeys, Log, ServerStore, SyncQueue } from '../ports.js'
import { checkLaunch } from '../runner/policy.js'
import { applyUpdate } from './apply-update.js'
import {
  createServerBody,
  updateServerBody,
  type CreateServerInput,
  type UpdateServerInput,
} from './schemas.js'
import { isEmpty, masksFor, tokenFor } from './secrets.js'
import { pendingSync } from './sync-state.js'
import type { Secrets, ServerRecord } from './types.js'
import { bodyValidator } from './validate-body.js'

export interface RegistryDeps {
  store: ServerStore
  keys: DataKeys
  queue: SyncQueue
  clock: Clock
  log: Pick<Log, 'warn'>
  allowPrivateUrls: boolean
  /** Programs stdio servers may run; the runner's default allowlist when absent. */
  stdioAllowlist?: readonly string[]
}

const createBody = bodyValidator<CreateServerInput>(createServerBody)
const updateBody = bodyValidator<UpdateServerInput>(updateServerBody)
const parseCreate = (body: unknown) => checkInput(createBody(body))
const parseUpdate = (body: unknown) => checkInput(updateBody(body))

export const checkUrl = (raw: string, allowPrivate: boolean): string => {
  const result = checkServerUrl(raw, { allowPrivate })
  if (!result.ok) throw new AppError('request.invalid', `config.server_url: ${result.reason}`)
  return raw
}

/** The stdio launch policy, as a 422 naming the field (`config.args[2]`, `config.env.PATH`). */
const checkStdio = (server: ServerRecord, env: Secrets['env'], allowlist?: readonly string[]) => {
  const spec = { command: server.command ?? '', args: server.args ?? [], env: env ?? {} }
  const result = checkLaunch(spec, { allowlist })
  if (!result.ok) throw new AppError('request.invalid', `config.${result.field}: ${result.reason}`)
}

const notFound = (id: string) => new AppError('server.notFound', `MCP server ${id} not found`)

const secretsOf = (
  input: CreateServerInput['config'],
): { authHeader?: string; secrets: Secrets } => {
  if (input.mcp_server_type === 'stdio') {
    return { secrets: input.env && Object.keys(input.env).length ? { env: input.env } : {} }
  }
  const authHeader = input.auth_header ?? (input.auth_token ? 'Authorization' : undefined)
  const secrets: Secrets = {}
  if (input.auth_token && authHeader) secrets.authToken = tokenFor(authHeader, input.auth_token)
  if (input.custom_headers && Object.keys(input.custom_headers).length) {
    secrets.customHeaders = input.custom_headers
  }
  return { authHeader, secrets }
}

/** Registration use-cases: create, read, list, update and delete MCP servers of one organization. */
export const registry = (deps: RegistryDeps) => {
  const context = (server: { organizationId: string; id: string }) => ({
    organization_id: server.organizationId,
    mcp_server_id: server.id,
  })

  const queueSync = async (server: ServerRecord, reason: 'created' | 'updated') => {
    try {
      await deps.queue.send({
        organization_id: server.organizationId,
        server_id: server.id,
        config_version: server.configVersion,
        reason,
      })
    } catch (error) {
      // The registration stands; the server shows that its sync is still to be requested.
      deps.log.warn('sync could not be queued', { serverId: server.id, error: String(error) })
    }
  }

  const get = async (organizationId: string, id: string) => {
    const server = await deps.store.get(organizationId, id)
    if (!server) throw notFound(id)
    return server
  }

  /** A checked server record and its plaintext secrets, not yet stored. */
  const build = (organizationId: string, body: unknown) => {
    const input = parseCreate(body)
    const config = input.config
    const id = `mcp_server-${randomUUID()}`
    const now = deps.clock.now().toISOString()
    const { authHeader, secrets } = secretsOf(config)
    const server: ServerRecord = {
      organizationId,
      id,
      name: input.server_name,
      type: config.mcp_server_type,
      masks: masksFor(secrets),
      sync: pendingSync(),
      configVersion: 1,
      revision: 1,
      createdAt: now,
      updatedAt: now,
    }
    if (config.mcp_server_type === 'stdio') {
      server.command = config.command ?? ''
      server.args = config.args ?? []
      checkStdio(server, secrets.env, deps.stdioAllowlist)
    } else {
      server.serverUrl = checkUrl(config.server_url ?? '', deps.allowPrivateUrls)
      if (authHeader) server.authHeader = authHeader
    }
    return { server, secrets }
  }

  const create = async (organizationId: string, body: unknown): Promise<ServerRecord> => {
    const { server, secrets } = build(organizationId, body)
    if (!isEmpty(secrets)) server.sealed = await sealSecrets(deps.keys, context(server), secrets)
    await deps.store.create(server)
    await queueSync(server, 'created')
    return server
  }

  /** PATCH; also names the stored secrets it dropped because the server moved. */
  const updateWithReport = async (
    organizationId: string,
    id: string,
    body: unknown,
  ): Promise<{ server: ServerRecord; droppedSecrets: string[] }> => {
    const input = parseUpdate(body)
    const previous = await get(organizationId, id)
    const load = async () =>
      previous.sealed ? openSecrets(deps.keys, context(previous), previous.sealed) : {}
    const change = await applyUpdate(previous, input, {
      loadSecrets: load,
      checkUrl: (raw) => checkUrl(raw, deps.allowPrivateUrls),
      now: deps.clock.now().toISOString(),
    })
    const next = change.server
    if (next.type === 'stdio' && change.reachChanged) {
      const current: Secrets = change.secrets ?? (await load())
      checkStdio(next, current.env, deps.stdioAllowlist)
    }
    if (change.secrets) {
      next.masks = masksFor(change.secrets)
      next.sealed = isEmpty(change.secrets)
        ? undefined
        : await sealSecrets(deps.keys, context(next), change.secrets)
    }
    await deps.store.update(next, previous)
    if (change.reachChanged) await queueSync(next, 'updated')
    return { server: next, droppedSecrets: change.droppedSecrets }
  }

  const update = async (organizationId: string, id: string, body: unknown) =>
    (await updateWithReport(organizationId, id, body)).server

  /** Letta's legacy routes find servers by name; an unknown name is a 404. */
  const getByName = async (organizationId: string, name: string) => {
    const server = await deps.store.findByName(organizationId, name.normalize('NFC'))
    if (!server) throw new AppError('server.notFound', `MCP server '${name}' not found`)
    return server
  }

  const remove = async (organizationId: string, id: string): Promise<void> => {
    if (!(await deps.store.delete(organizationId, id))) throw notFound(id)
  }

  const list = (organizationId: string, options: { limit: number; after?: string }) =>
    deps.store.list(organizationId, options)

  /** The plaintext secrets, for connecting to the server. Never returned by the API. */
  const secrets = async (server: ServerRecord): Promise<Secrets> =>
    server.sealed ? openSecrets(deps.keys, context(server), server.sealed) : {}

  return { create, build, get, getByName, list, update, updateWithReport, remove, secrets }
}

export type Registry = ReturnType<typeof registry>
