import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { startFauxqs } from 'fauxqs'
import { createKmsServer } from './mini-kms.mjs'
import { startDynamoDbLocal } from './dynamodb-local.js'

export interface Endpoints {
  dynamodb: string
  sqs: string
  kms: string
}

export interface Emulators {
  endpoints: Endpoints
  stop(): Promise<void>
}

/**
 * Starts DynamoDB Local (java), fauxqs and the mini KMS on 127.0.0.1. With `stateDir`, DynamoDB
 * data and KMS keys persist there; without it everything is in memory.
 */
export const startEmulators = async (options: {
  ports: { dynamodb: number; sqs: number; kms: number }
  stateDir?: string
}): Promise<Emulators> => {
  const kmsServer = createKmsServer({
    stateFile: options.stateDir ? join(options.stateDir, 'kms-keys.json') : undefined,
  })
  const kmsListening = new Promise<void>((resolve, reject) => {
    kmsServer.once('error', reject)
    kmsServer.listen(options.ports.kms, '127.0.0.1', () => resolve())
  })
  const [dynamodb, sqs] = await Promise.all([
    startDynamoDbLocal({
      port: options.ports.dynamodb,
      dataDir: options.stateDir ? join(options.stateDir, 'dynamodb') : undefined,
    }),
    startFauxqs({ port: options.ports.sqs, host: '127.0.0.1', logger: false }),
    kmsListening,
  ])
  const kmsPort = (kmsServer.address() as AddressInfo).port
  return {
    endpoints: {
      dynamodb: dynamodb.endpoint,
      sqs: `http://127.0.0.1:${sqs.port}`,
      kms: `http://127.0.0.1:${kmsPort}`,
    },
    stop: async () => {
      kmsServer.closeAllConnections?.()
      await Promise.allSettled([
        dynamodb.stop(),
        sqs.stop(),
        new Promise<void>((resolve) => kmsServer.close(() => resolve())),
      ])
    },
  }
}
