import type { Server } from 'node:http'

export interface KmsServerOptions {
  /** JSON file holding key material and aliases (mode 0600); omit to keep keys in memory. */
  stateFile?: string
  region?: string
  account?: string
}

export declare function createKmsServer(options?: KmsServerOptions): Server
