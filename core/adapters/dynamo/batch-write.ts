import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

type WriteRequest = NonNullable<
  NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]
>[number]

const BATCH = 25
const PARALLEL = 4
const MAX_ATTEMPTS = 8

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const writeChunk = async (db: DynamoDBDocumentClient, table: string, chunk: WriteRequest[]) => {
  let pending = chunk
  let requests = 0
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt === MAX_ATTEMPTS) throw new Error(`${pending.length} writes stayed unprocessed`)
    if (attempt) await sleep(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2))
    const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }))
    requests++
    pending = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[]
  }
  return requests
}

/**
 * Writes in BatchWriteItem requests of 25, a few in parallel, retrying unprocessed items with
 * backoff. Returns how many requests were sent.
 */
export const batchWrite = async (
  db: DynamoDBDocumentClient,
  table: string,
  requests: WriteRequest[],
): Promise<number> => {
  const chunks: WriteRequest[][] = []
  for (let i = 0; i < requests.length; i += BATCH) chunks.push(requests.slice(i, i + BATCH))
  let sent = 0
  let next = 0
  const worker = async () => {
    while (next < chunks.length) {
      const requests = await writeChunk(db, table, chunks[next++] as WriteRequest[])
      sent += requests
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, chunks.length) }, worker))
  return sent
}

export type { WriteRequest }
