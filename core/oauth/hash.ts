import { createHash, randomBytes } from 'node:crypto'

/** base64url SHA-256: how a state is stored (never in clear). */
export const hashState = (state: string) => createHash('sha256').update(state).digest('base64url')

export const newState = () => randomBytes(32).toString('base64url')

/** Letta's session id format. */
export const newSessionId = () => `mcp-oauth-${randomBytes(4).toString('hex')}`
