import type { AttributeValue, DynamoDBRecord } from 'aws-lambda'

export type ServerChange =
  | { kind: 'deleted'; organizationId: string; serverId: string }
  | { kind: 'renamed'; organizationId: string; serverId: string; name: string }
  | { kind: 'none' }

type Image = Record<string, AttributeValue> | undefined

const text = (image: Image, name: string) => image?.[name]?.S
const isServer = (image: Image) => text(image, 'type') === 'server'

/** What a stream record means for a server's children; anything but a server item means nothing. */
export const serverChange = (record: DynamoDBRecord): ServerChange => {
  const before = record.dynamodb?.OldImage
  const after = record.dynamodb?.NewImage
  if (record.eventName === 'REMOVE' && isServer(before)) {
    return {
      kind: 'deleted',
      organizationId: text(before, 'organization_id') ?? '',
      serverId: text(before, 'id') ?? '',
    }
  }
  if (record.eventName === 'MODIFY' && isServer(after)) {
    const name = text(after, 'server_name')
    if (name !== undefined && name !== text(before, 'server_name')) {
      return {
        kind: 'renamed',
        organizationId: text(after, 'organization_id') ?? '',
        serverId: text(after, 'id') ?? '',
        name,
      }
    }
  }
  return { kind: 'none' }
}
