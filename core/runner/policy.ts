import {
  ARG_META,
  BARE_NAME,
  COMMAND_META,
  DEFAULT_ALLOWLIST,
  REFUSED_ENV_KEYS,
  REFUSED_ENV_PREFIXES,
  REFUSED_LONG_FLAGS,
  REFUSED_LONG_PREFIXES,
  REFUSED_SHORT_FLAGS,
  RESERVED_ENV_PREFIXES,
  SHORT_WITH_VALUE,
  ALLOWED_ENV_KEYS,
} from './policy-rules.js'

export { DEFAULT_ALLOWLIST }

export interface LaunchSpec {
  command: string
  args: readonly string[]
  env: Readonly<Record<string, string>>
}

/** `field` is relative to the registration's `config`: `command`, `args[2]`, `env.NODE_OPTIONS`. */
export type LaunchCheck = { ok: true } | { ok: false; field: string; reason: string }

const refuse = (field: string, reason: string): LaunchCheck => ({ ok: false, field, reason })

const commandProblem = (command: string, allowlist: readonly string[]): string | undefined => {
  if (command === '') return 'must not be empty'
  const words = command.trim().split(/\s+/)
  // Only a plain command line (no shell syntax) gets the split shown back.
  if (
    words.length > 1 &&
    BARE_NAME.test(words[0] ?? '') &&
    !/[;&|`$<>(){}[\]*?!#'"\\]/.test(command)
  ) {
    return `holds a whole command line; put the program in command and the arguments in args: "command": ${JSON.stringify(words[0])}, "args": ${JSON.stringify(words.slice(1))}`
  }
  if (/[/\\]/.test(command)) return 'must be a bare program name from the allowlist, not a path'
  if (COMMAND_META.test(command)) return 'contains whitespace or shell metacharacters'
  if (!BARE_NAME.test(command)) return 'is not a valid program name'
  if (!allowlist.includes(command)) {
    return `"${command}" is not an allowed program (allowed: ${allowlist.join(', ')})`
  }
  return undefined
}

const refusedFlag = (arg: string): string | undefined => {
  if (arg.startsWith('--')) {
    // node reads `--experimental_loader` as `--experimental-loader`.
    const name = (arg.split('=')[0] ?? arg).toLowerCase().replaceAll('_', '-')
    const refused =
      REFUSED_LONG_FLAGS.includes(name) || REFUSED_LONG_PREFIXES.some((p) => name.startsWith(p))
    return refused ? name : undefined
  }
  if (!/^-[A-Za-z]/.test(arg)) return undefined
  for (const letter of arg.slice(1)) {
    if (REFUSED_SHORT_FLAGS.has(letter)) return `-${letter}`
    if (SHORT_WITH_VALUE.has(letter) || !/[A-Za-z]/.test(letter)) return undefined
  }
  return undefined
}

const argProblem = (arg: string): string | undefined => {
  if (ARG_META.test(arg)) return 'contains shell metacharacters or control characters'
  // "-y @scope/pkg" as one item: no shell splits it, so the program would get one odd option.
  const words = arg.trim().split(/\s+/)
  if (/^-[^=\s]*$/.test(words[0] ?? '') && words.length > 1) {
    return `holds several arguments in one string; give each its own item: ${JSON.stringify(words)}`
  }
  if (arg === '-') return 'would make the interpreter read a program from standard input'
  const flag = refusedFlag(arg)
  return flag && `"${flag}" is not allowed (it evaluates code, preloads modules or runs a shell)`
}

/** A package registry setting: an http(s) URL, nothing else (no credentials in it either). */
const registryProblem = (value: string): string | undefined => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'must be a registry URL such as https://npm.example.com/'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL'
  if (url.username || url.password) {
    return 'must not carry credentials in the URL'
  }
  return undefined
}

const envProblem = (key: string, value: string): string | undefined => {
  const upper = key.toUpperCase()
  if (RESERVED_ENV_PREFIXES.some((p) => upper.startsWith(p))) return 'is reserved and cannot be set'
  if (ALLOWED_ENV_KEYS.includes(upper)) return registryProblem(value)
  if (REFUSED_ENV_KEYS.includes(upper) || REFUSED_ENV_PREFIXES.some((p) => upper.startsWith(p))) {
    return 'changes how programs are found, loaded or run and cannot be set'
  }
  if (value.includes('\0')) return 'contains a NUL character'
  return undefined
}

/**
 * The launch policy, checked at registration and again before the runner starts anything: an
 * allowlisted bare program, arguments without eval/preload flags, and no loader-changing env.
 */
export const checkLaunch = (
  spec: LaunchSpec,
  options: { allowlist?: readonly string[] } = {},
): LaunchCheck => {
  const commandIssue = commandProblem(spec.command, options.allowlist ?? DEFAULT_ALLOWLIST)
  if (commandIssue) return refuse('command', commandIssue)
  for (const [index, arg] of spec.args.entries()) {
    const issue = argProblem(arg)
    if (issue) return refuse(`args[${index}]`, issue)
  }
  for (const [key, value] of Object.entries(spec.env)) {
    const issue = envProblem(key, value)
    if (issue) return refuse(`env.${key}`, issue)
  }
  return { ok: true }
}
