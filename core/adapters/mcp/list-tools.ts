import { listAllTools } from './list-pages.js'
import { withClient } from './with-client.js'
import type { ListOptions, ListedTool, McpTarget } from './types.js'

/** Every tool the server offers, following `tools/list` cursors to the end. */
export const listTools = (target: McpTarget, options: ListOptions): Promise<ListedTool[]> =>
  withClient(target, options, (client) => listAllTools(client, options))
