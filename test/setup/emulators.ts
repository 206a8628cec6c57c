import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import type { TestProject } from 'vitest/node'
import { startEmulators, type Emulators } from '../../infra/local/emulators.js'
import { freePort } from '../../infra/local/ports.js'
import { provision, type Provisioned } from '../../infra/local/provision.js'
import { clientsFor } from '../support/aws.js'
import { auditSecrets, createAuditDir } from './audit.js'

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: { dynamodb: string; sqs: string; kms: string }
    provisioned: Provisioned
    auditDir: string
  }
}

let emulators: Emulators | undefined

export default async function setup(project: TestProject) {
  const ports = { dynamodb: await freePort(), sqs: await freePort(), kms: await freePort() }
  emulators = await startEmulators({ ports })
  const clients = clientsFor(emulators.endpoints)
  // The JVM is slow on its first calls; warm it up once here rather than in every test.
  await clients.dynamodb.send(new ListTablesCommand({}))
  const provisioned = await provision(clients)
  project.provide('endpoints', emulators.endpoints)
  project.provide('provisioned', provisioned)
  const auditDir = createAuditDir()
  project.provide('auditDir', auditDir)
  return async () => {
    try {
      // The secrets audit: no planted secret in any table item, log line or API response.
      const audit = await auditSecrets(auditDir, clients.dynamodb, provisioned.tableName)
      if (audit.found.length) {
        // vitest only prints teardown errors, so fail the run explicitly as well.
        process.exitCode = 1
        throw new Error(`Plaintext secrets found after the run: ${audit.found.join('; ')}`)
      }
      process.stdout.write(
        `secrets audit: none of ${audit.planted} planted secrets in ${audit.checked.length} sources\n`,
      )
    } finally {
      await emulators?.stop()
    }
  }
}
