import type { Config } from '../../core/config.js'

export interface Org {
  id: string
  key: string
}

export interface TimedRequest {
  org: Org
  method: string
  path: string
}

/** What load.ts asks of the API host process, one phase a message. */
export type HostRequest =
  | { phase: 'start'; config: Config; endpoints: { dynamodb: string; sqs: string; kms: string } }
  | { phase: 'mixed'; orgs: Org[]; servers: number; clients: number; serverUrl: string }
  | { phase: 'requests'; requests: TimedRequest[]; clients: number }
  | { phase: 'stop' }
