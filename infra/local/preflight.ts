import { spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { portOwner } from './port-owner.js'

/** A problem found before anything starts; start.ts prints `message` alone (no stack) and exits 1. */
export class StartError extends Error {
  override name = 'StartError'
}

/** Resolves to the error code when 127.0.0.1:port cannot be bound (EADDRINUSE, EACCES), else undefined. */
const bindError = (port: number): Promise<string | undefined> =>
  new Promise((resolve) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(undefined)),
    )
  })

/** The sentence that names a busy port, its owner when known and the variable that moves it. */
export const portInUseMessage = (variable: string, port: number, code = 'EADDRINUSE') => {
  const owner = portOwner(port)
  const what = code === 'EACCES' ? 'may not be used by this user' : 'is already in use'
  return [
    `Port ${port} (${variable}) ${what}${owner ? ` by ${owner}` : ''}.`,
    `Stop that process, or pick another port: ${variable}=${port + 1} npm start`,
  ].join('\n')
}

/** Every port must be free on 127.0.0.1 before anything starts; otherwise one message naming all. */
export const checkPorts = async (ports: Record<string, number>) => {
  const problems: string[] = []
  const seen = new Map<number, string>()
  for (const [variable, port] of Object.entries(ports)) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      problems.push(`${variable} must be a port number from 1 to 65535, got "${port}".`)
      continue
    }
    const other = seen.get(port)
    if (other) {
      problems.push(`${variable} and ${other} are both ${port}; give each its own port.`)
      continue
    }
    seen.set(port, variable)
    const code = await bindError(port)
    if (code) problems.push(portInUseMessage(variable, port, code))
  }
  if (problems.length) throw new StartError(problems.join('\n'))
}

export const JAVA_MISSING = `DynamoDB Local needs Java 17 or newer, and java was not found on PATH. Install it:
  Debian/Ubuntu:  sudo apt-get install openjdk-17-jre-headless
  Fedora:         sudo dnf install java-17-openjdk-headless
  macOS:          brew install openjdk@17   (then follow brew's note to put it on PATH)
Then run npm start again.`

/** Java 17+ on PATH, or a StartError with the install commands. */
export const checkJava = () => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 15_000 })
  const error = result.error as NodeJS.ErrnoException | undefined
  if (error?.code === 'ENOENT') throw new StartError(JAVA_MISSING)
  if (error) throw new StartError(`Running "java -version" failed: ${error.message}`)
  const text = `${result.stderr}${result.stdout}`
  const major = Number(/version "(\d+)(?:\.(\d+))?/.exec(text)?.[1] ?? 'NaN')
  const version = major === 1 ? Number(/version "1\.(\d+)/.exec(text)?.[1]) : major
  if (Number.isFinite(version) && version < 17) {
    throw new StartError(
      `DynamoDB Local needs Java 17 or newer; java on PATH is version ${version}.\n${JAVA_MISSING.split('\n').slice(1).join('\n')}`,
    )
  }
}
