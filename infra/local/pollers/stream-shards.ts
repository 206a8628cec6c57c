import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams'

export interface ShardState {
  id: string
  parentId?: string
  iterator?: string
  ended: boolean
  /** Appeared after start-up, so it is read from its beginning. */
  fresh: boolean
}

const describeShards = async (streams: DynamoDBStreamsClient, streamArn: string) => {
  const shards: Shard[] = []
  let start: string | undefined
  do {
    const page = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
    )
    shards.push(...(page.StreamDescription?.Shards ?? []))
    start = page.StreamDescription?.LastEvaluatedShardId
  } while (start)
  return shards
}

/**
 * Brings `shards` in line with DescribeStream (new shards added, trimmed ones dropped) and returns
 * the ones to read now: not yet ended, and whose parent, if still listed, has ended.
 */
export const refreshShards = async (
  streams: DynamoDBStreamsClient,
  streamArn: string,
  shards: Map<string, ShardState>,
  initial: boolean,
) => {
  const listed = await describeShards(streams, streamArn)
  const ids = new Set(listed.map((shard) => shard.ShardId ?? ''))
  for (const id of shards.keys()) if (!ids.has(id)) shards.delete(id)
  for (const { ShardId: id = '', ParentShardId: parentId } of listed) {
    if (!shards.has(id)) shards.set(id, { id, parentId, ended: false, fresh: !initial })
  }
  return [...shards.values()].filter(({ ended, parentId }) => {
    const parent = shards.get(parentId ?? '')
    return !ended && (!parent || parent.ended)
  })
}
