import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { configHash } from './config-hash.js'
import type { LaunchSpec } from './policy.js'

/**
 * What a request to the runner needs to start a stdio server: command, args, env and the config
 * hash, sealed as one AES-256-GCM blob under a key derived from the runner secret and bound to
 * the request it travels in (its signature nonce and path). The runner keeps no store of its own.
 */
export interface LaunchBinding {
  /** The request's signature nonce (`x-hangar-nonce`). */
  nonce: string
  /** The signed path and query: `/mcp/org-1/mcp_server-…`. */
  path: string
}

export type OpenedLaunch =
  { ok: true; spec: LaunchSpec; configHash: string } | { ok: false; reason: string }

const PREFIX = 'v1.'
const IV_BYTES = 12
const TAG_BYTES = 16
const INFO = 'hangar runner launch v1'

const keyOf = (secret: string) =>
  Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32))

const aadOf = (binding: LaunchBinding) =>
  Buffer.from(`${INFO}\n${binding.nonce}\n${binding.path}`, 'utf8')

/** Seals a launch spec for one request; a fresh IV each time. */
export const sealLaunch = (secret: string, spec: LaunchSpec, binding: LaunchBinding): string => {
  const plaintext = JSON.stringify({
    command: spec.command,
    args: spec.args,
    env: spec.env,
    configHash: configHash(spec),
  })
  const key = keyOf(secret)
  try {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    cipher.setAAD(aadOf(binding))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
  } finally {
    key.fill(0)
  }
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string')

const isStringMap = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string')

const parsed = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

const decrypt = (secret: string, sealed: string, binding: LaunchBinding): string | undefined => {
  const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url')
  if (bytes.length < IV_BYTES + TAG_BYTES) return undefined
  const key = keyOf(secret)
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES))
    decipher.setAAD(aadOf(binding))
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    const body = bytes.subarray(IV_BYTES + TAG_BYTES)
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  } finally {
    key.fill(0)
  }
}

/**
 * Opens a sealed launch for the request it is bound to. Refused when it was sealed under another
 * secret or for another request, was altered, or its config hash does not match its contents.
 */
export const openLaunch = (
  secret: string,
  sealed: unknown,
  binding: LaunchBinding,
): OpenedLaunch => {
  if (typeof sealed !== 'string' || !sealed.startsWith(PREFIX)) {
    return { ok: false, reason: 'must be a sealed launch spec' }
  }
  const text = decrypt(secret, sealed, binding)
  if (text === undefined) return { ok: false, reason: 'cannot be opened for this request' }
  const value = parsed(text)
  const { command, args, env } = value
  if (typeof command !== 'string' || !isStrings(args) || !isStringMap(env)) {
    return { ok: false, reason: 'is not a launch spec' }
  }
  const spec: LaunchSpec = { command, args, env }
  const hash = configHash(spec)
  if (value.configHash !== hash) return { ok: false, reason: 'config hash does not match' }
  return { ok: true, spec, configHash: hash }
}
