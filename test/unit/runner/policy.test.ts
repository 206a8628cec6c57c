import { describe, expect, it } from 'vitest'
import { checkLaunch, type LaunchSpec } from '../../../core/runner/policy.js'

const spec = (overrides: Partial<LaunchSpec> = {}): LaunchSpec => ({
  command: 'node',
  args: ['server.js'],
  env: {},
  ...overrides,
})

const EVAL = 'is not allowed (it evaluates code, preloads modules or runs a shell)'
const flag = (name: string) => `"${name}" ${EVAL}`
const LOADER = 'changes how programs are found, loaded or run and cannot be set'
const RESERVED = 'is reserved and cannot be set'
const META = 'contains shell metacharacters or control characters'
const NOT_PATH = 'must be a bare program name from the allowlist, not a path'
const ALLOWED = 'allowed: npx, node, uvx, python3'

describe('checkLaunch', () => {
  it.each([
    ['node with a script', spec()],
    [
      'npx -y with a scoped package',
      spec({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] }),
    ],
    ['npx --package=…', spec({ command: 'npx', args: ['--yes', '--package=@a/b', 'b-bin'] })],
    ['python3 -m with a module', spec({ command: 'python3', args: ['-m', 'mcp_server_time'] })],
    ['python3 -mpkg in one token', spec({ command: 'python3', args: ['-mmcp_server_time'] })],
    ['python3 -u -I flags', spec({ command: 'python3', args: ['-u', '-I', 'server.py'] })],
    [
      'uvx with --from',
      spec({ command: 'uvx', args: ['--from', 'mcp-server-fetch', 'mcp-server-fetch'] }),
    ],
    ['an argument with spaces, kept whole', spec({ args: ['server.js', 'a folder/with spaces'] })],
    ['node options that load nothing', spec({ args: ['--max-old-space-size=256', 'server.js'] })],
    ['plain env values', spec({ env: { API_TOKEN: 's3cret', PYTHONUNBUFFERED: '1', DEBUG: 'x' } })],
  ])('Should allow %s', (_, input) => {
    expect(checkLaunch(input)).toEqual({ ok: true })
  })

  it.each([
    [
      'a command not on the allowlist',
      spec({ command: 'bash', args: ['-c', 'touch /tmp/x'] }),
      'command',
      `"bash" is not an allowed program (${ALLOWED})`,
    ],
    [
      'sh',
      spec({ command: 'sh', args: [] }),
      'command',
      `"sh" is not an allowed program (${ALLOWED})`,
    ],
    ['curl', spec({ command: 'curl' }), 'command', `"curl" is not an allowed program (${ALLOWED})`],
    ['an absolute path', spec({ command: '/usr/bin/node' }), 'command', NOT_PATH],
    ['/bin/sh', spec({ command: '/bin/sh', args: ['-c', 'id'] }), 'command', NOT_PATH],
    ['./node', spec({ command: './node' }), 'command', NOT_PATH],
    ['../node', spec({ command: '../node' }), 'command', NOT_PATH],
    ['a Windows path', spec({ command: 'bin\\node' }), 'command', NOT_PATH],
    ['an empty command', spec({ command: '' }), 'command', 'must not be empty'],
    ['; in the command', spec({ command: 'node;touch /tmp/x' }), 'command', NOT_PATH],
    [
      '&& in the command',
      spec({ command: 'node && id' }),
      'command',
      'contains whitespace or shell metacharacters',
    ],
    [
      '$() in the command',
      spec({ command: '$(id)' }),
      'command',
      'contains whitespace or shell metacharacters',
    ],
    [
      'a backtick in the command',
      spec({ command: 'node`id`' }),
      'command',
      'contains whitespace or shell metacharacters',
    ],
    [
      'a pipe in the command',
      spec({ command: 'node|sh' }),
      'command',
      'contains whitespace or shell metacharacters',
    ],
    [
      'a command with a trailing space',
      spec({ command: 'node ' }),
      'command',
      'contains whitespace or shell metacharacters',
    ],
    ['a command that is a flag', spec({ command: '-e' }), 'command', 'is not a valid program name'],
    ['node -e', spec({ args: ['-e', 'process.exit(1)'] }), 'args[0]', flag('-e')],
    ['node --eval=…', spec({ args: ['--eval=require("fs")'] }), 'args[0]', flag('--eval')],
    ['node --eval …', spec({ args: ['--eval', 'x'] }), 'args[0]', flag('--eval')],
    ['node -p', spec({ args: ['-p', '1'] }), 'args[0]', flag('-p')],
    ['node --print', spec({ args: ['--print', '1'] }), 'args[0]', flag('--print')],
    ['node -pe cluster', spec({ args: ['-pe', '1'] }), 'args[0]', flag('-p')],
    ['node -r x', spec({ args: ['-r', 'x', 'server.js'] }), 'args[0]', flag('-r')],
    [
      'node --require',
      spec({ args: ['--require=./x.js', 'server.js'] }),
      'args[0]',
      flag('--require'),
    ],
    [
      'node --import',
      spec({ args: ['--import', 'data:text/javascript,1'] }),
      'args[0]',
      flag('--import'),
    ],
    ['node --loader', spec({ args: ['--loader=x'] }), 'args[0]', flag('--loader')],
    [
      'node --experimental-loader',
      spec({ args: ['--experimental-loader', 'x'] }),
      'args[0]',
      flag('--experimental-loader'),
    ],
    [
      'node --experimental_loader',
      spec({ args: ['--experimental_loader=x'] }),
      'args[0]',
      flag('--experimental-loader'),
    ],
    ['node -i', spec({ args: ['-i'] }), 'args[0]', flag('-i')],
    [
      'node --inspect',
      spec({ args: ['--inspect=0.0.0.0:9229', 'server.js'] }),
      'args[0]',
      flag('--inspect'),
    ],
    [
      'node --inspect-brk',
      spec({ args: ['--inspect-brk', 'server.js'] }),
      'args[0]',
      flag('--inspect-brk'),
    ],
    [
      'node --env-file',
      spec({ args: ['--env-file=.env', 'server.js'] }),
      'args[0]',
      flag('--env-file'),
    ],
    ['node --run', spec({ args: ['--run', 'build'] }), 'args[0]', flag('--run')],
    [
      'node --security-revert',
      spec({ args: ['--security-revert=CVE-2023-46809', 'server.js'] }),
      'args[0]',
      flag('--security-revert'),
    ],
    [
      'node - (stdin script)',
      spec({ args: ['-'] }),
      'args[0]',
      'would make the interpreter read a program from standard input',
    ],
    ['a flag after the script', spec({ args: ['server.js', '-e', 'x'] }), 'args[1]', flag('-e')],
    ['python3 -c', spec({ command: 'python3', args: ['-c', 'import os'] }), 'args[0]', flag('-c')],
    [
      'python3 -Ic cluster',
      spec({ command: 'python3', args: ['-Ic', 'import os'] }),
      'args[0]',
      flag('-c'),
    ],
    [
      'python3 -cprint(1) attached',
      spec({ command: 'python3', args: ['-cprint(1)'] }),
      'args[0]',
      flag('-c'),
    ],
    ['uvx python -c', spec({ command: 'uvx', args: ['python', '-c', 'x'] }), 'args[1]', flag('-c')],
    ['npx -c', spec({ command: 'npx', args: ['-c', 'touch /tmp/x'] }), 'args[0]', flag('-c')],
    [
      'npx --call=…',
      spec({ command: 'npx', args: ['--call=touch /tmp/x'] }),
      'args[0]',
      flag('--call'),
    ],
    [
      'npx --node-options',
      spec({ command: 'npx', args: ['--node-options=--require=x', 'pkg'] }),
      'args[0]',
      flag('--node-options'),
    ],
    [
      'npx --shell',
      spec({ command: 'npx', args: ['--shell=/bin/sh', 'pkg'] }),
      'args[0]',
      flag('--shell'),
    ],
    [
      'npx --script-shell',
      spec({ command: 'npx', args: ['--script-shell', 'x', 'pkg'] }),
      'args[0]',
      flag('--script-shell'),
    ],
    [
      'npx --userconfig',
      spec({ command: 'npx', args: ['--userconfig=/tmp/rc', 'pkg'] }),
      'args[0]',
      flag('--userconfig'),
    ],
    [
      'npx node -e',
      spec({ command: 'npx', args: ['-y', 'node', '-e', 'x'] }),
      'args[2]',
      flag('-e'),
    ],
    ['; in an argument', spec({ args: ['server.js', 'x; touch /tmp/x'] }), 'args[1]', META],
    ['$() in an argument', spec({ args: ['$(touch /tmp/x)'] }), 'args[0]', META],
    ['a backtick in an argument', spec({ args: ['`id`'] }), 'args[0]', META],
    ['&& in an argument', spec({ args: ['a && b'] }), 'args[0]', META],
    ['a pipe in an argument', spec({ args: ['a | sh'] }), 'args[0]', META],
    ['a redirect in an argument', spec({ args: ['> /etc/passwd'] }), 'args[0]', META],
    ['a newline in an argument', spec({ args: ['a\ntouch /tmp/x'] }), 'args[0]', META],
    ['a NUL in an argument', spec({ args: ['a\0b'] }), 'args[0]', META],
    [
      'NODE_OPTIONS=--require',
      spec({ env: { NODE_OPTIONS: '--require /tmp/x.js' } }),
      'env.NODE_OPTIONS',
      LOADER,
    ],
    [
      'node_options in lower case',
      spec({ env: { node_options: '-r x' } }),
      'env.node_options',
      LOADER,
    ],
    ['LD_PRELOAD', spec({ env: { LD_PRELOAD: '/tmp/x.so' } }), 'env.LD_PRELOAD', LOADER],
    ['LD_LIBRARY_PATH', spec({ env: { LD_LIBRARY_PATH: '/tmp' } }), 'env.LD_LIBRARY_PATH', LOADER],
    ['LD_AUDIT', spec({ env: { LD_AUDIT: '/tmp/x.so' } }), 'env.LD_AUDIT', LOADER],
    [
      'DYLD_INSERT_LIBRARIES',
      spec({ env: { DYLD_INSERT_LIBRARIES: 'x' } }),
      'env.DYLD_INSERT_LIBRARIES',
      LOADER,
    ],
    ['PATH', spec({ env: { PATH: '/tmp' } }), 'env.PATH', LOADER],
    ['HOME', spec({ env: { HOME: '/root' } }), 'env.HOME', LOADER],
    ['PYTHONPATH', spec({ env: { PYTHONPATH: '/tmp' } }), 'env.PYTHONPATH', LOADER],
    ['PYTHONSTARTUP', spec({ env: { PYTHONSTARTUP: '/tmp/x.py' } }), 'env.PYTHONSTARTUP', LOADER],
    [
      'PYTHONWARNINGS (imports modules)',
      spec({ env: { PYTHONWARNINGS: 'all:0:antigravity.x:0:0' } }),
      'env.PYTHONWARNINGS',
      LOADER,
    ],
    ['BASH_ENV', spec({ env: { BASH_ENV: '/tmp/x' } }), 'env.BASH_ENV', LOADER],
    [
      'npm_config_script_shell',
      spec({ env: { npm_config_script_shell: '/tmp/x' } }),
      'env.npm_config_script_shell',
      LOADER,
    ],
    ['UV_PYTHON', spec({ env: { UV_PYTHON: '/tmp/python' } }), 'env.UV_PYTHON', LOADER],
    [
      'GIT_SSH_COMMAND',
      spec({ env: { GIT_SSH_COMMAND: 'touch /tmp/x' } }),
      'env.GIT_SSH_COMMAND',
      LOADER,
    ],
    ['OPENSSL_CONF', spec({ env: { OPENSSL_CONF: '/tmp/x.cnf' } }), 'env.OPENSSL_CONF', LOADER],
    [
      'HANGAR_RUNNER_SECRET',
      spec({ env: { HANGAR_RUNNER_SECRET: 'x' } }),
      'env.HANGAR_RUNNER_SECRET',
      RESERVED,
    ],
    [
      'AWS_ACCESS_KEY_ID',
      spec({ env: { AWS_ACCESS_KEY_ID: 'x' } }),
      'env.AWS_ACCESS_KEY_ID',
      RESERVED,
    ],
    [
      'a NUL in an env value',
      spec({ env: { TOKEN: 'a\0b' } }),
      'env.TOKEN',
      'contains a NUL character',
    ],
  ])('Should refuse %s', (_, input, field, reason) => {
    expect(checkLaunch(input)).toEqual({ ok: false, field, reason })
  })

  it('Should follow a configured allowlist', () => {
    const allowlist = ['deno']

    expect(checkLaunch(spec({ command: 'deno', args: ['run', 'x.ts'] }), { allowlist })).toEqual({
      ok: true,
    })
    expect(checkLaunch(spec({ command: 'node' }), { allowlist })).toEqual({
      ok: false,
      field: 'command',
      reason: '"node" is not an allowed program (allowed: deno)',
    })
  })

  it('Should report the first offending argument by its index', () => {
    const result = checkLaunch(spec({ args: ['server.js', '--port', '80', '-r', 'x', '-e', 'y'] }))

    expect(result).toEqual({ ok: false, field: 'args[3]', reason: flag('-r') })
  })
})

describe('checkLaunch messages that say what to do', () => {
  it('Should tell to put the arguments in args when command holds a whole command line', () => {
    expect(
      checkLaunch(spec({ command: 'npx -y @modelcontextprotocol/server-memory', args: [] })),
    ).toEqual({
      ok: false,
      field: 'command',
      reason:
        'holds a whole command line; put the program in command and the arguments in args: "command": "npx", "args": ["-y","@modelcontextprotocol/server-memory"]',
    })
  })

  it('Should refuse "-y @scope/pkg" as one argument and show the split form', () => {
    expect(
      checkLaunch(spec({ command: 'npx', args: ['-y @modelcontextprotocol/server-memory'] })),
    ).toEqual({
      ok: false,
      field: 'args[0]',
      reason:
        'holds several arguments in one string; give each its own item: ["-y","@modelcontextprotocol/server-memory"]',
    })
  })

  it('Should keep an option whose value has spaces whole (--name=a b)', () => {
    expect(checkLaunch(spec({ args: ['server.js', '--title=My notes'] }))).toEqual({ ok: true })
  })

  it.each(['npm_config_registry', 'NPM_CONFIG_REGISTRY'])(
    'Should allow %s as an http(s) URL for a private registry',
    (key) => {
      expect(
        checkLaunch(spec({ command: 'npx', env: { [key]: 'https://npm.example.com/' } })),
      ).toEqual({ ok: true })
    },
  )

  it.each([
    ['not a URL', 'npm.example.com', 'must be a registry URL such as https://npm.example.com/'],
    ['a file URL', 'file:///tmp/registry', 'must be an http(s) URL'],
    [
      'credentials in the URL',
      'https://user:pw@npm.example.com/',
      'must not carry credentials in the URL',
    ],
  ])('Should refuse npm_config_registry with %s', (_, value, reason) => {
    expect(checkLaunch(spec({ env: { npm_config_registry: value } }))).toEqual({
      ok: false,
      field: 'env.npm_config_registry',
      reason,
    })
  })

  it('Should still refuse every other npm setting', () => {
    expect(checkLaunch(spec({ env: { npm_config_userconfig: '/tmp/npmrc' } }))).toEqual({
      ok: false,
      field: 'env.npm_config_userconfig',
      reason: 'changes how programs are found, loaded or run and cannot be set',
    })
  })
})
