import { serverKey } from '../../keys.js'
import type { ServerRecord } from '../../registry/types.js'
import { apiAttributes } from './server-item.js'

/**
 * UpdateItem input that writes the API-owned attributes (REMOVE for those now absent), and the
 * sync state only when the config version moved (dropping the sync lease then), guarded by the
 * revision the caller read.
 */
export const updateServerParams = (
  tableName: string,
  server: ServerRecord,
  previous: ServerRecord,
) => {
  const names: Record<string, string> = {}
  const values: Record<string, unknown> = { ':previousRevision': previous.revision }
  const sets: string[] = []
  const removes: string[] = []
  const attributes: Record<string, unknown> = { ...apiAttributes(server) }
  if (server.configVersion !== previous.configVersion) attributes.sync = server.sync
  for (const [name, value] of Object.entries(attributes)) {
    names[`#${name}`] = name
    if (value === undefined) removes.push(`#${name}`)
    else {
      values[`:${name}`] = value
      sets.push(`#${name} = :${name}`)
    }
  }
  names['#revision'] = 'revision'
  // A new way to reach the server makes any running sync moot: its lease goes with the old config.
  if (server.configVersion !== previous.configVersion) removes.push('sync_lease_until')
  const update = [`SET ${sets.join(', ')}`, removes.length ? `REMOVE ${removes.join(', ')}` : '']
  return {
    TableName: tableName,
    Key: serverKey(server.organizationId, server.id),
    UpdateExpression: update.filter(Boolean).join(' '),
    ConditionExpression: `attribute_exists(pk) AND #revision = :previousRevision`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  }
}
