import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { alive } from '../../core/sandbox/proc.js'

/** Written by `npm start` while the stack runs, so `npm run keys` needs no variables locally. */
export const stackFile = (stateDir: string) => join(stateDir, 'stack.json')

export interface StackInfo {
  pid: number
  dynamodb: string
  region: string
  table: string
}

/** The running local stack (HANGAR_STATE_DIR, default .hangar), or undefined. */
export const runningStack = (env = process.env): StackInfo | undefined => {
  try {
    const info = JSON.parse(
      readFileSync(stackFile(resolve(env.HANGAR_STATE_DIR || '.hangar')), 'utf8'),
    ) as StackInfo
    return alive(info.pid) ? info : undefined
  } catch {
    return undefined
  }
}

/** The `curl` that npm start prints: registers server-everything, which the runner starts with node. */
export const tryExample = (base: string, apiKey: string, everythingPath: string) => {
  const body = JSON.stringify({
    server_name: 'everything',
    config: { mcp_server_type: 'stdio', command: 'node', args: [everythingPath, 'stdio'] },
  })
  return [
    `  curl -s ${base}/v1/mcp-servers/ -H 'Authorization: Bearer ${apiKey}' -H 'content-type: application/json' \\`,
    `    -d '${body.replaceAll("'", "'\\''")}'`,
    `  curl -s ${base}/v1/mcp-servers/ -H 'Authorization: Bearer ${apiKey}'   # sync.status "ok", tool_count 13`,
  ].join('\n')
}
