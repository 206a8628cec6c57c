import type { StdioGateway } from '../../ports.js'
import type { Secrets, ServerRecord } from '../../registry/types.js'
import type { RunnerClientConfig } from '../../runner/config.js'
import type { LaunchSpec } from '../../runner/policy.js'
import { classifyRunnerError } from './classify.js'
import { callToolViaRunner, listToolsViaRunner } from './list-tools.js'
import { evictViaRunner, runnerTarget } from './target.js'
import { withRunnerClient } from './with-runner-client.js'

/** Opens a server's sealed secrets (the registry's opener, through KMS). */
export type SecretsOpener = (server: ServerRecord) => Promise<Secrets>

/** The stored server as the runner starts it; its env opened here, sealed again per request. */
export const launchSpecOf = async (
  server: ServerRecord,
  secrets: SecretsOpener,
): Promise<LaunchSpec> => ({
  command: server.command ?? '',
  args: server.args ?? [],
  env: (await secrets(server)).env ?? {},
})

/** The stdio runner as the functions see it: they send each server's launch spec themselves. */
export const runnerGateway = (
  runner: RunnerClientConfig,
  limits: { connectTimeoutMs: number; listTimeoutMs: number },
  secrets: SecretsOpener,
): StdioGateway => {
  const target = async (server: ServerRecord) =>
    runnerTarget(server, runner, await launchSpecOf(server, secrets))
  const startTimeoutMs = runner.startTimeoutMs
  return {
    listTools: async (server) =>
      listToolsViaRunner(await target(server), { ...limits, startTimeoutMs }),
    callTool: async (server, name, args, timeoutMs, extras) =>
      callToolViaRunner(await target(server), name, args, {
        connectTimeoutMs: limits.connectTimeoutMs,
        startTimeoutMs,
        timeoutMs,
        ...extras,
      }),
    session: (server) => async (fn) =>
      withRunnerClient(
        await target(server),
        { connectTimeoutMs: limits.connectTimeoutMs, startTimeoutMs },
        fn,
      ),
    classify: classifyRunnerError,
    evict: async (organizationId, serverId) => {
      await evictViaRunner(runner, organizationId, serverId)
    },
  }
}
