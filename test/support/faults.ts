import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { KMSClient } from '@aws-sdk/client-kms'

type Client = DynamoDBClient | KMSClient

/**
 * Makes a real SDK client fail the named commands with a service error, as throttling or an outage
 * would: after letting `after` calls through, `times` times (default always). Returns a function
 * that stops the failures.
 */
export const injectFault = (
  client: Client,
  commands: string[],
  error: { name: string; status: number },
  options: { times?: number; after?: number } = {},
) => {
  let left = options.times ?? Infinity
  let passing = options.after ?? 0
  const name = `fault-${Math.random()}`
  const stack = client.middlewareStack as DynamoDBClient['middlewareStack']
  stack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? '').replace(/Command$/, '')
      if (commands.includes(command) && passing-- <= 0 && left-- > 0) {
        throw Object.assign(new Error(`${error.name}: injected`), {
          name: error.name,
          $fault: error.status >= 500 ? 'server' : 'client',
          $metadata: { httpStatusCode: error.status, attempts: 1 },
        })
      }
      return next(args)
    },
    { step: 'finalizeRequest', name },
  )
  return () => stack.remove(name)
}
