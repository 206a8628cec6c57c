import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { buildApp } from 'fauxqs'
import { createKmsServer } from './mini-kms.mjs'
import { startDynamoDbLocal } from './dynamodb-local.js'

export interface Endpoints {
  dynamodb: string
  sqs: string
  kms: string
}

export interface Emulators {
  endpoints: Endpoints
  /** Settles when DynamoDB Local ends by itself (the in-process emulators cannot). */
  exited: Promise<void>
  stop(): Promise<void>
}

/**
 * fauxqs on 127.0.0.1 only. Its `startFauxqs` always listens on 0.0.0.0, so this builds the same
 * app with the exported `buildApp` and listens on loopback itself.
 */
const startSqs = async (port: number) => {
  const app = buildApp({ logger: false, host: '127.0.0.1' })
  const address = await app.listen({ port, host: '127.0.0.1' })
  return { port: Number(new URL(address).port), stop: () => app.close() }
}

const startKms = async (port: number, stateDir?: string) => {
  const server = createKmsServer({
    stateFile: stateDir ? join(stateDir, 'kms-keys.json') : undefined,
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => {
      server.closeAllConnections?.()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * Starts DynamoDB Local (java), fauxqs and the mini KMS, each on 127.0.0.1 only. With `stateDir`,
 * DynamoDB data and KMS keys persist there; without it everything is in memory. If any of them
 * fails to start, the ones that did are stopped before the error is thrown.
 */
export const startEmulators = async (options: {
  ports: { dynamodb: number; sqs: number; kms: number }
  stateDir?: string
}): Promise<Emulators> => {
  const started = await Promise.allSettled([
    startDynamoDbLocal({
      port: options.ports.dynamodb,
      dataDir: options.stateDir ? join(options.stateDir, 'dynamodb') : undefined,
    }),
    startSqs(options.ports.sqs),
    startKms(options.ports.kms, options.stateDir),
  ])
  const [dynamodb, sqs, kms] = started
  if (dynamodb.status !== 'fulfilled' || sqs.status !== 'fulfilled' || kms.status !== 'fulfilled') {
    await Promise.allSettled(
      started.flatMap((result) => (result.status === 'fulfilled' ? [result.value.stop()] : [])),
    )
    const failed = started.find((result) => result.status === 'rejected') as PromiseRejectedResult
    throw failed.reason
  }
  return {
    endpoints: {
      dynamodb: dynamodb.value.endpoint,
      sqs: `http://127.0.0.1:${sqs.value.port}`,
      kms: `http://127.0.0.1:${kms.value.port}`,
    },
    exited: dynamodb.value.exited,
    stop: async () => {
      await Promise.allSettled([dynamodb.value.stop(), sqs.value.stop(), kms.value.stop()])
    },
  }
}
