/** Latency samples of one route: count, throughput and percentiles. */
export const summarize = (samples: number[], wallMs: number) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return {
    count: samples.length,
    perSecond: Math.round((samples.length / wallMs) * 1000),
    p50: Math.round(at(0.5) * 10) / 10,
    p99: Math.round(at(0.99) * 10) / 10,
  }
}

/** Runs `jobs` with `clients` concurrent workers; returns each job's latency and the wall time. */
export const runConcurrently = async <T>(jobs: (() => Promise<T>)[], clients: number) => {
  const latencies: number[] = []
  const results: T[] = []
  let next = 0
  const began = performance.now()
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as () => Promise<T>
      const start = performance.now()
      results.push(await job())
      latencies.push(performance.now() - start)
    }
  }
  await Promise.all(Array.from({ length: clients }, worker))
  return { latencies, results, wallMs: performance.now() - began }
}

/** Like runConcurrently, keeping each result beside its own latency. */
export const runTimed = async <T>(jobs: (() => Promise<T>)[], clients: number) => {
  const timed = jobs.map((job) => async () => {
    const start = performance.now()
    const result = await job()
    return { result, ms: performance.now() - start }
  })
  const run = await runConcurrently(timed, clients)
  return Object.assign(run.results, { wallMs: run.wallMs })
}
