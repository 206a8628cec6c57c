import { Ajv } from 'ajv'
import type { SyncMessage } from '../ports.js'

const ajv = new Ajv()
const isSyncMessage = ajv.compile<SyncMessage>({
  type: 'object',
  required: ['organization_id', 'server_id', 'config_version', 'reason'],
  properties: {
    organization_id: { type: 'string', minLength: 1 },
    server_id: { type: 'string', minLength: 1 },
    config_version: { type: 'integer', minimum: 1 },
    reason: { enum: ['created', 'updated', 'requested', 'retry', 'sweep'] },
    attempt: { type: 'integer', minimum: 1, maximum: 100 },
  },
})

/** The message, or undefined when the body is not a sync message (a permanent failure). */
export const parseSyncMessage = (body: string): SyncMessage | undefined => {
  try {
    const value: unknown = JSON.parse(body)
    return isSyncMessage(value) ? value : undefined
  } catch {
    return undefined
  }
}
