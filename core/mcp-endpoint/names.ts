import { createHash } from 'node:crypto'

/** What OpenAI, Anthropic and Bedrock accept as a tool name. */
export const SERVED_NAME = /^[a-zA-Z0-9_-]{1,64}$/
const MAX = 64
const HASH_CHARS = 12
const SEPARATOR = '__'
/** A server name that can be read back from `<server>__<tool>`: no `__`, no `_` at either end. */
const PLAIN_SERVER = /^[a-zA-Z0-9-]+(?:_[a-zA-Z0-9-]+)*$/
/** The shape of a shortened name's ending; plain names never end like this. */
const HASHED_ENDING = new RegExp(`_[0-9a-f]{${HASH_CHARS}}$`)

const sanitize = (text: string) => text.replace(/[^a-zA-Z0-9_-]/g, '_')

/**
 * The name a tool is served under on the organization endpoint: `<server>__<tool>` when that is a
 * valid name as it stands, else the sanitized form cut short and ended with `_` and 12 hex
 * characters of a SHA-256 of the exact server and tool names. It depends only on those two names
 * (unique together within an organization), so other servers coming and going never change it,
 * and a plain name never has a shortened name's ending, so the two kinds never collide.
 */
export const servedName = (serverName: string, toolName: string): string => {
  const plain = `${serverName}${SEPARATOR}${toolName}`
  if (
    plain.length <= MAX &&
    SERVED_NAME.test(plain) &&
    PLAIN_SERVER.test(serverName) &&
    !HASHED_ENDING.test(plain)
  ) {
    return plain
  }
  const hash = createHash('sha256')
    .update(`${serverName}\u0000${toolName}`, 'utf8')
    .digest('hex')
    .slice(0, HASH_CHARS)
  const head = sanitize(plain).slice(0, MAX - HASH_CHARS - 1)
  return `${head}_${hash}`
}

/** Whether a served name was shortened (and so cannot be read back as `<server>__<tool>`). */
export const isShortened = (served: string) => HASHED_ENDING.test(served)

/** The server and tool names a plain served name stands for; undefined for shortened names. */
export const readPlain = (served: string): { serverName: string; toolName: string } | undefined => {
  if (isShortened(served)) return undefined
  const at = served.indexOf(SEPARATOR)
  if (at < 1) return undefined
  return { serverName: served.slice(0, at), toolName: served.slice(at + SEPARATOR.length) }
}
