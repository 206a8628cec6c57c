import type { StdioGateway } from '../../ports.js'
import type { RunnerClientConfig } from '../../runner/config.js'
import { classifyRunnerError } from './classify.js'
import { callToolViaRunner, listToolsViaRunner } from './list-tools.js'
import { evictViaRunner, runnerTarget } from './target.js'

/** The stdio runner as the functions see it. */
export const runnerGateway = (
  runner: RunnerClientConfig,
  limits: { connectTimeoutMs: number; listTimeoutMs: number },
): StdioGateway => ({
  listTools: (server) => listToolsViaRunner(runnerTarget(server, runner), limits),
  callTool: (server, name, args, timeoutMs) =>
    callToolViaRunner(runnerTarget(server, runner), name, args, {
      connectTimeoutMs: limits.connectTimeoutMs,
      timeoutMs,
    }),
  classify: classifyRunnerError,
  evict: async (organizationId, serverId) => {
    await evictViaRunner(runner, organizationId, serverId)
  },
})
