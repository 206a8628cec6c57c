import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'

/** Counts SDK commands sent by a client, by command name. */
export const countRequests = (client: DynamoDBClient) => {
  const counts: Record<string, number> = {}
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context.commandName ?? 'unknown').replace(/Command$/, '')
      counts[name] = (counts[name] ?? 0) + 1
      return next(args)
    },
    { step: 'initialize', name: 'hangarBenchCounter' },
  )
  return {
    reset: () => {
      for (const key of Object.keys(counts)) delete counts[key]
    },
    snapshot: () => ({ ...counts }),
  }
}

/** Peak RSS and heap while `work` runs, sampled every 5 ms. */
export const peakMemory = async <T>(work: () => Promise<T>) => {
  global.gc?.()
  const start = process.memoryUsage()
  let rss = start.rss
  let heap = start.heapUsed
  const timer = setInterval(() => {
    const now = process.memoryUsage()
    rss = Math.max(rss, now.rss)
    heap = Math.max(heap, now.heapUsed)
  }, 5)
  const began = performance.now()
  try {
    const result = await work()
    return {
      result,
      ms: performance.now() - began,
      peakRssMb: rss / 2 ** 20,
      peakHeapMb: heap / 2 ** 20,
    }
  } finally {
    clearInterval(timer)
  }
}

export const mb = (n: number) => Math.round(n * 10) / 10
