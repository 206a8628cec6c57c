import { createHash } from 'node:crypto'
import type { LaunchSpec } from './policy.js'

/**
 * Identifies one launch configuration: a change to the command, an argument or any env value gives
 * a new hash, so the process started for the old one is retired. Env order does not matter.
 */
export const configHash = (spec: LaunchSpec): string => {
  const env = Object.entries(spec.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const canonical = JSON.stringify([spec.command, spec.args, env])
  return createHash('sha256').update(canonical).digest('hex')
}
