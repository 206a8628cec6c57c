import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import { checkServerUrl } from '../net/url.js'
import type { McpTarget } from '../ports.js'
import { OAuthSetupError } from './errors.js'
import type { Discovery, OAuthSettings } from './types.js'

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'hangar', version: '1' },
  },
})

/** An unauthenticated request, for the 401's `WWW-Authenticate` challenge (RFC 9728 §5.1). */
const challenge = async (fetchFn: FetchLike, target: McpTarget) => {
  const { extractWWWAuthenticateParams } = await import('@modelcontextprotocol/sdk/client/auth.js')
  const headers = Object.fromEntries(
    Object.entries(target.headers).filter(([k]) => k.toLowerCase() !== 'authorization'),
  )
  const init =
    target.type === 'sse'
      ? { method: 'GET', headers: { ...headers, accept: 'text/event-stream' } }
      : {
          method: 'POST',
          headers: {
            ...headers,
            accept: 'application/json, text/event-stream',
            'content-type': 'application/json',
          },
          body: INITIALIZE,
        }
  const res = await fetchFn(target.url, init)
  await res.body?.cancel().catch(() => undefined)
  return res.status === 401 ? extractWWWAuthenticateParams(res) : {}
}

/**
 * Fields the SDK's metadata schemas drop for OIDC discovery documents, read from the raw document:
 * where to revoke (RFC 7009) and whether `iss` must come back (RFC 9207).
 */
const extraMetadata = async (fetchFn: FetchLike, authorizationServerUrl: string) => {
  const { buildDiscoveryUrls } = await import('@modelcontextprotocol/sdk/client/auth.js')
  for (const { url } of buildDiscoveryUrls(authorizationServerUrl)) {
    const res = await fetchFn(url, { headers: { accept: 'application/json' } }).catch(
      () => undefined,
    )
    if (!res?.ok) {
      await res?.body?.cancel().catch(() => undefined)
      continue
    }
    const raw = (await res.json().catch(() => ({}))) as Record<string, unknown>
    const extra: Record<string, unknown> = {}
    if (typeof raw.revocation_endpoint === 'string' && URL.canParse(raw.revocation_endpoint))
      extra.revocation_endpoint = raw.revocation_endpoint
    if (raw.authorization_response_iss_parameter_supported === true)
      extra.authorization_response_iss_parameter_supported = true
    return extra
  }
  return {}
}

const trimSlash = (url: string) => url.replace(/\/+$/, '')

/** The resource the tokens are for: the PRM's, which must cover the server's URL. */
const resourceFor = (serverUrl: string, prmResource: unknown) => {
  const server = new URL(serverUrl)
  server.hash = ''
  if (typeof prmResource !== 'string') return trimSlash(server.href)
  const resource = new URL(prmResource)
  if (
    resource.origin !== server.origin ||
    !server.pathname.startsWith(trimSlash(resource.pathname))
  )
    throw new OAuthSetupError(
      `The server's protected-resource metadata names another resource (${resource.href})`,
    )
  return prmResource
}

export interface Discovered {
  discovery: Discovery
  /** The scope to ask for: the challenge's, else the resource's, else the configured one. */
  scope?: string
}

/**
 * RFC 9728 protected-resource metadata (from the 401's header, else the well-known paths), then
 * RFC 8414 / OIDC metadata of its authorization server, checked as the MCP authorization spec asks:
 * the metadata's `issuer` must be the discovery issuer, and PKCE S256 must be supported.
 */
export const discover = async (
  fetchFn: FetchLike,
  target: McpTarget,
  settings: OAuthSettings,
  allowPrivate: boolean,
): Promise<Discovered> => {
  const { discoverOAuthServerInfo } = await import('@modelcontextprotocol/sdk/client/auth.js')
  const hint = await challenge(fetchFn, target)
  const info = await discoverOAuthServerInfo(target.url, {
    resourceMetadataUrl: hint.resourceMetadataUrl,
    fetchFn,
  })
  const parsed = info.authorizationServerMetadata as Record<string, unknown> | undefined
  const metadata = parsed && {
    ...(await extraMetadata(fetchFn, info.authorizationServerUrl)),
    ...parsed,
  }
  if (!metadata)
    throw new OAuthSetupError(
      `No OAuth authorization server metadata found for ${info.authorizationServerUrl}`,
    )
  const issuer = String(metadata.issuer ?? '')
  if (trimSlash(issuer) !== trimSlash(info.authorizationServerUrl))
    throw new OAuthSetupError(
      `The authorization server metadata names issuer ${issuer}, not ${info.authorizationServerUrl}`,
    )
  // The browser goes there, not Hangar; still, only to a URL an MCP target could have.
  const authorize = checkServerUrl(String(metadata.authorization_endpoint ?? ''), { allowPrivate })
  if (!authorize.ok)
    throw new OAuthSetupError(`The authorization endpoint is not allowed: ${authorize.reason}`)
  const methods = metadata.code_challenge_methods_supported
  if (Array.isArray(methods) ? !methods.includes('S256') : !settings.allowMissingPkceMetadata)
    throw new OAuthSetupError(
      'The authorization server does not advertise PKCE (S256); set allow_missing_pkce_metadata to connect anyway',
    )
  const prm = info.resourceMetadata as Record<string, unknown> | undefined
  const asked =
    settings.scopes?.join(' ') ??
    hint.scope ??
    (Array.isArray(prm?.scopes_supported) ? prm.scopes_supported.join(' ') : undefined)
  const offered = Array.isArray(metadata.scopes_supported) ? metadata.scopes_supported : []
  const scope =
    offered.includes('offline_access') && !asked?.split(' ').includes('offline_access')
      ? [asked, 'offline_access'].filter(Boolean).join(' ')
      : asked
  return {
    discovery: {
      issuer,
      authorizationServerUrl: info.authorizationServerUrl,
      metadata,
      resource: settings.omitResource ? undefined : resourceFor(target.url, prm?.resource),
    },
    scope,
  }
}
