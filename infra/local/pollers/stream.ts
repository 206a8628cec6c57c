import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams'
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda'
import { loadCheckpoint, saveCheckpoint, type Positions } from './checkpoint.js'
import { deliver } from './stream-delivery.js'
import { streamRecord } from './stream-event.js'
import { refreshShards, type ShardState } from './stream-shards.js'

export interface StreamPollerOptions {
  streams: DynamoDBStreamsClient
  streamArn: string
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>
  batchSize?: number
  intervalMs?: number
  /** JSON of shard id → last processed sequence number; shards listed there resume after it. */
  checkpointFile?: string
  startFrom?: 'LATEST' | 'TRIM_HORIZON'
  /** Handler calls for the same first record before its batch is skipped (maxRetryAttempts). */
  maxAttempts?: number
  onError?: (error: unknown) => void
}

export interface StreamPoller {
  stop(): Promise<void>
  /** Resolves once a round that started after the call found no new record on any open shard. */
  idle(): Promise<void>
}

/**
 * Stands in for Lambda's DynamoDB-stream event-source mapping (with ReportBatchItemFailures):
 * reads each shard after its parent, delivers `DynamoDBStreamEvent`s and checkpoints every batch.
 *
 * @example
 * const poller = startStreamPoller({ streams, streamArn, handler, checkpointFile })
 * await poller.idle()
 */
export const startStreamPoller = (options: StreamPollerOptions): StreamPoller => {
  const { streams, streamArn, handler, checkpointFile, onError = console.error } = options
  const { batchSize = 100, intervalMs = 250, startFrom = 'LATEST', maxAttempts = 10 } = options
  const shards = new Map<string, ShardState>()
  const waiting: (() => void)[] = []
  const watching: (() => void)[] = []
  let positions: Positions = {}
  let running = true
  let wake = () => {}

  const pause = () =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(running), intervalMs)
      wake = () => {
        clearTimeout(timer)
        resolve(false)
      }
    })

  const commit = (shardId: string) => async (sequenceNumber: string) => {
    positions = { ...positions, [shardId]: sequenceNumber }
    if (checkpointFile) await saveCheckpoint(checkpointFile, positions)
  }

  const iteratorFor = async (state: ShardState): Promise<string | undefined> => {
    const shardId = state.id
    const after = positions[shardId]
    const type = after ? 'AFTER_SEQUENCE_NUMBER' : state.fresh ? 'TRIM_HORIZON' : startFrom
    const input = { StreamArn: streamArn, ShardId: shardId, SequenceNumber: after || undefined }
    try {
      const found = await streams.send(
        new GetShardIteratorCommand({ ...input, ShardIteratorType: type }),
      )
      return found.ShardIterator
    } catch (error) {
      if (!after || (error as Error).name !== 'TrimmedDataAccessException') throw error
      onError(error)
      positions = Object.fromEntries(Object.entries(positions).filter(([id]) => id !== shardId))
      return iteratorFor({ ...state, fresh: true })
    }
  }

  const poll = async (state: ShardState) => {
    state.iterator ??= await iteratorFor(state)
    const page = await streams
      .send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: batchSize }))
      .catch((error: unknown) => {
        state.iterator = undefined
        throw error
      })
    state.iterator = page.NextShardIterator
    state.ended = !page.NextShardIterator
    const records = (page.Records ?? []).map((record) => streamRecord(record, streamArn))
    if (records.length > 0) {
      await deliver({ handler, maxAttempts, onError, commit: commit(state.id), pause }, records)
    }
    return records.length
  }

  const round = async (initial: boolean) => {
    let received = 0
    for (const state of await refreshShards(streams, streamArn, shards, initial)) {
      if (running) received += await poll(state)
    }
    return received
  }

  const loop = async () => {
    positions = await loadCheckpoint(checkpointFile)
    let initial = true
    while (running) {
      watching.push(...waiting.splice(0))
      let received = -1
      try {
        received = await round(initial)
        initial = false
      } catch (error) {
        onError(error)
      }
      if (!running || received > 0) continue
      if (received === 0) for (const resolve of watching.splice(0)) resolve()
      await pause()
    }
  }
  const done = loop()
    .catch(onError)
    .finally(() => {
      running = false
      for (const resolve of [...watching.splice(0), ...waiting.splice(0)]) resolve()
    })

  return {
    stop: async () => {
      running = false
      wake()
      await done
    },
    idle: () => new Promise<void>((resolve) => (running ? waiting.push(resolve) : resolve())),
  }
}
