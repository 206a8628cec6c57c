import { Logger } from '@aws-lambda-powertools/logger'
import { takeRunnerConfig } from '../../core/runner/config.js'
import { createRunnerApp } from './app.js'
import { buildRunnerDeps } from './deps.js'
import { startRunner } from './serve.js'

// Read once; the secret leaves process.env here, before anything else runs or starts.
const config = takeRunnerConfig(process.env)
const log = new Logger({ serviceName: 'hangar-runner' })
if (!config.sandbox.isolate) {
  log.warn('stdio children run unisolated, as the runner user (HANGAR_RUNNER_ALLOW_UNISOLATED)')
}
const deps = buildRunnerDeps(config, log)
const runner = await startRunner(createRunnerApp(deps), deps.pool, config, log)
log.info('runner listening', { url: runner.url })

let stopping = false
// The first signal drains; a second one exits at once (the exit hook below still kills children).
const shutdown = () => {
  if (stopping) process.exit(1)
  stopping = true
  void runner.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
// Started by a parent that died without stopping it (locally: npm start killed): stop too.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent && !stopping) shutdown()
}, 1000).unref()
// Last resort if the runner dies without a graceful stop: every process of every child's uid
// (wherever it went: groups, setsid, double forks), then the groups (unisolated children).
process.once('exit', () => {
  deps.sandbox.killAllSync()
  for (const pid of deps.pool.pids()) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})
