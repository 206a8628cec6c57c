import { openSecrets } from '../crypto/envelope.js'
import type { DataKeys } from '../ports.js'
import type { Secrets, ServerRecord } from '../registry/types.js'

/** A server's plaintext secrets, opened by the runner itself; they never travel in a request. */
export const serverSecrets =
  (keys: DataKeys) =>
  (server: ServerRecord): Promise<Secrets> =>
    server.sealed
      ? openSecrets(
          keys,
          { organization_id: server.organizationId, mcp_server_id: server.id },
          server.sealed,
        )
      : Promise.resolve({})
