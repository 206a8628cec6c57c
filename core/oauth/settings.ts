import { AppError } from '../errors.js'
import type { OAuthSettings } from './types.js'

const FIELDS = [
  'client_id',
  'client_secret',
  'scopes',
  'extra_authorize_params',
  'allow_missing_pkce_metadata',
  'omit_resource',
]

/** Authorize parameters that carry the flow's own security; never overridden per server. */
const RESERVED = [
  'client_id',
  'redirect_uri',
  'response_type',
  'state',
  'code_challenge',
  'code_challenge_method',
  'resource',
  'scope',
]

const bad = (field: string, why: string) => new AppError('request.invalid', `${field}: ${why}`)

const text = (value: unknown, field: string) => {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || !value.trim() || value.length > 2048)
    throw bad(field, 'must be a non-empty string of at most 2048 characters')
  return value.trim()
}

const flag = (value: unknown, field: string) => {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw bad(field, 'must be true or false')
  return value
}

/** The body of `PUT /v1/mcp-servers/{id}/oauth`: a pre-registered client and authorize tweaks. */
export const parseSettings = (body: unknown): OAuthSettings => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('body', 'must be object')
  const b = body as Record<string, unknown>
  const extra = Object.keys(b).find((key) => !FIELDS.includes(key))
  if (extra) throw bad(extra, 'unknown field')
  const scopes = b.scopes
  if (
    scopes !== undefined &&
    (!Array.isArray(scopes) ||
      !scopes.every((s) => typeof s === 'string' && /^[\x21-\x7e]+$/.test(s)))
  )
    throw bad('scopes', 'must be an array of scope names')
  const params = b.extra_authorize_params
  if (
    params !== undefined &&
    (typeof params !== 'object' ||
      params === null ||
      Array.isArray(params) ||
      !Object.values(params).every((v) => typeof v === 'string'))
  )
    throw bad('extra_authorize_params', 'must be an object of strings')
  const reserved = Object.keys(params ?? {}).find((key) => RESERVED.includes(key))
  if (reserved) throw bad(`extra_authorize_params.${reserved}`, 'is set by Hangar')
  const clientSecret = text(b.client_secret, 'client_secret')
  const clientId = text(b.client_id, 'client_id')
  if (clientSecret && !clientId) throw bad('client_secret', 'needs client_id')
  return {
    clientId,
    clientSecret,
    scopes: scopes as string[] | undefined,
    extraAuthorizeParams: params as Record<string, string> | undefined,
    allowMissingPkceMetadata: flag(b.allow_missing_pkce_metadata, 'allow_missing_pkce_metadata'),
    omitResource: flag(b.omit_resource, 'omit_resource'),
  }
}
