import { describe, expect, it } from 'vitest'
import { packageOf } from '../../../core/tools/installing.js'

describe('packageOf', () => {
  it.each([
    ['npx', ['-y', '@modelcontextprotocol/server-memory'], '@modelcontextprotocol/server-memory'],
    ['npx', ['--yes', 'pkg@1.2.3', '--port', '3'], 'pkg@1.2.3'],
    ['npx', ['-p', '@scope/tools', '-y', 'tool-bin'], '@scope/tools'],
    ['npx', ['--package=@scope/tools', 'tool-bin'], '@scope/tools'],
    ['npx', ['--registry', 'http://127.0.0.1:4873/', '-y', 'pkg'], 'pkg'],
    ['npx', ['-y', '--', 'pkg', '--flag'], 'pkg'],
    ['uvx', ['mcp-server-fetch'], 'mcp-server-fetch'],
    ['uvx', ['--python', '3.12', 'mcp-server-time'], 'mcp-server-time'],
    ['uvx', ['--from', 'git-pkg', 'run-it'], 'git-pkg'],
    ['uvx', ['--from=git-pkg', 'run-it'], 'git-pkg'],
  ])('Should find the package %s installs for %j', (command, args, expected) => {
    expect(packageOf(command, args)).toBe(expected)
  })

  it.each([
    ['node', ['server.js']],
    ['python3', ['-m', 'server']],
    ['npx', ['-y']],
    ['uvx', []],
  ])('Should find none for %s %j', (command, args) => {
    expect(packageOf(command, args)).toBeUndefined()
  })
})
