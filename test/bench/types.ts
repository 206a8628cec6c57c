import type { Deps } from '../../functions/deps.js'
import type { HttpFixture } from '../fixtures/mcp/http-fixture.js'
import type { clientsFor } from '../support/aws.js'
import type { countRequests } from './measure.js'

export interface Row {
  name: string
  value: number
  unit: string
  target?: string
  ok?: boolean
}

export interface BenchContext {
  deps: Deps
  /** The SDK clients deps was built with, pointed at the emulators. */
  clients: ReturnType<typeof clientsFor>
  counter: ReturnType<typeof countRequests>
  organizationId: string
  endpoints: { dynamodb: string; sqs: string; kms: string }
  /** Paged fixture servers with 1,000 and 10,000 tools. */
  fixtures: HttpFixture[]
}
