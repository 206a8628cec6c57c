import { nameClaimKey, serverKey } from '../../keys.js'
import type { ServerRecord } from '../../registry/types.js'

type Item = Record<string, unknown>

/** Attributes the API owns; the sync worker writes only `sync` (conditioned on config_version). */
export const apiAttributes = (server: ServerRecord): Item => ({
  type: 'server',
  organization_id: server.organizationId,
  id: server.id,
  server_name: server.name,
  mcp_server_type: server.type,
  server_url: server.serverUrl,
  auth_header: server.authHeader,
  command: server.command,
  args: server.args,
  wrapped_key: server.sealed?.wrappedKey,
  secrets_blob: server.sealed?.blob,
  masks: server.masks,
  config_version: server.configVersion,
  revision: server.revision,
  created_at: server.createdAt,
  updated_at: server.updatedAt,
})

export const serverItem = (server: ServerRecord): Item => ({
  ...serverKey(server.organizationId, server.id),
  ...withoutUndefined(apiAttributes(server)),
  sync: server.sync,
})

export const nameClaimItem = (server: ServerRecord): Item => ({
  ...nameClaimKey(server.organizationId, server.name),
  type: 'server_name',
  organization_id: server.organizationId,
  server_id: server.id,
})

export const withoutUndefined = (item: Item): Item =>
  Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined))

const bytes = (value: unknown) => (value instanceof Uint8Array ? value : undefined)

export const fromServerItem = (item: Item): ServerRecord => {
  const wrappedKey = bytes(item.wrapped_key)
  const blob = bytes(item.secrets_blob)
  return {
    organizationId: item.organization_id as string,
    id: item.id as string,
    name: item.server_name as string,
    type: item.mcp_server_type as ServerRecord['type'],
    serverUrl: item.server_url as string | undefined,
    authHeader: item.auth_header as string | undefined,
    command: item.command as string | undefined,
    args: item.args as string[] | undefined,
    sealed: wrappedKey && blob ? { wrappedKey, blob } : undefined,
    masks: (item.masks as ServerRecord['masks']) ?? {},
    sync: item.sync as ServerRecord['sync'],
    configVersion: Number(item.config_version),
    revision: Number(item.revision),
    createdAt: item.created_at as string,
    updatedAt: item.updated_at as string,
  }
}
