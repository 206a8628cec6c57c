/** Programs a stdio server may be started with when no allowlist is configured. */
export const DEFAULT_ALLOWLIST: readonly string[] = ['npx', 'node', 'uvx', 'python3']

export const BARE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/

/** Characters a shell would act on; no shell ever runs, but such values are never legitimate. */
export const COMMAND_META = /[\s;&|`$<>(){}[\]*?!~#'"\\]/
export const ARG_META = /[;&|`$<>\r\n\0]/

/**
 * Long options that evaluate code, preload modules, open a debugger or run a shell: node's, and
 * npm/npx's (`npx` may also launch an interpreter, so every list applies to every program).
 */
export const REFUSED_LONG_FLAGS: readonly string[] = [
  '--eval',
  '--print',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '--interactive',
  '--env-file',
  '--env-file-if-exists',
  '--openssl-config',
  '--experimental-network-imports',
  '--security-revert',
  '--run',
  '--call',
  '--node-options',
  '--node-arg',
  '--shell',
  '--script-shell',
  '--userconfig',
  '--globalconfig',
  '--onload-script',
]
export const REFUSED_LONG_PREFIXES: readonly string[] = ['--inspect', '--debug']

/**
 * Short options, alone or in a cluster such as `-pe`: node `-e -p -r -i`, python `-c -i`, npx `-c`
 * and old npx `-n`. `-m` (python's module runner) stays allowed; it is how most Python servers start.
 */
export const REFUSED_SHORT_FLAGS = new Set(['c', 'e', 'p', 'r', 'i', 'n'])
/** Short options whose value may follow in the same token (`-mpkg`), which ends the cluster. */
export const SHORT_WITH_VALUE = new Set(['m', 'W', 'X', 'C'])

/** Environment keys that change how programs are found, loaded or run. Compared case-insensitively. */
export const REFUSED_ENV_KEYS: readonly string[] = [
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_REPL_EXTERNAL_MODULE',
  'NODE_V8_COVERAGE',
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONSTARTUP',
  'PYTHONUSERBASE',
  'PYTHONINSPECT',
  'PYTHONEXECUTABLE',
  'PYTHONPLATLIBDIR',
  'PYTHONBREAKPOINT',
  'PYTHONWARNINGS',
  'PATH',
  'HOME',
  'TMPDIR',
  'SHELL',
  'BASH_ENV',
  'ENV',
  'IFS',
  'PS4',
  'PROMPT_COMMAND',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'BROWSER',
  'OPENSSL_CONF',
  'OPENSSL_ENGINES',
  'GCONV_PATH',
  'GETCONF_DIR',
  'GLIBC_TUNABLES',
  'HOSTALIASES',
  'LOCALDOMAIN',
  'LOCPATH',
  'MALLOC_TRACE',
  'NIS_PATH',
  'NLSPATH',
  'RESOLV_HOST_CONF',
  'RES_OPTIONS',
  'TZDIR',
  'SSH_ASKPASS',
]

/** Loader families, and npm/uv/pip/git settings, which can name programs or config files to run. */
export const REFUSED_ENV_PREFIXES: readonly string[] = [
  'LD_',
  'DYLD_',
  'BASH_FUNC_',
  'NPM_CONFIG_',
  'UV_',
  'PIP_',
  'GIT_',
]

/**
 * Exceptions to the prefixes above, each limited to a plain http(s) URL: the npm registry to
 * fetch `npx` packages from (a private registry). Compared case-insensitively.
 */
export const ALLOWED_ENV_KEYS: readonly string[] = ['NPM_CONFIG_REGISTRY']

/** Hangar's settings and AWS credentials never reach a child, not even as the server's own env. */
export const RESERVED_ENV_PREFIXES: readonly string[] = ['HANGAR_', 'AWS_']
