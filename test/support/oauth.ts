import { inject } from 'vitest'
import { record } from '../setup/audit.js'
import { apiCaller, newOrg, testApp } from './deps.js'
import { serveApp } from './serve.js'

/** Every secret the OAuth fixtures issue goes to the secrets audit. */
export const plant = (secret: string) => record(inject('auditDir'), 'planted', secret)

export interface RawStream {
  /** The raw text received so far. */
  text(): string
  /** Parsed `data:` frames so far. */
  events(): Record<string, any>[]
  /** Resolves with the first event named `name` (or rejects when the stream ends first). */
  next(name: string): Promise<Record<string, any>>
  done: Promise<void>
}

/** Reads an SSE response byte for byte, as a client that parses nothing for us would. */
export const readRaw = (res: Response): RawStream => {
  let raw = ''
  const waiters: { name: string; resolve: (e: Record<string, any>) => void }[] = []
  const events = () =>
    raw
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: '))
      .map((frame) => JSON.parse(frame.slice('data: '.length)) as Record<string, any>)
  const wake = () => {
    for (const waiter of [...waiters]) {
      const found = events().find((e) => e.event === waiter.name)
      if (found) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(found)
      }
    }
  }
  const done = (async () => {
    const decoder = new TextDecoder()
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      raw += decoder.decode(chunk, { stream: true })
      wake()
    }
  })()
  return {
    text: () => raw,
    events,
    done,
    next: (name) =>
      new Promise((resolve, reject) => {
        waiters.push({ name, resolve })
        wake()
        void done.then(() => reject(new Error(`stream ended without ${name}: ${raw}`)))
      }),
  }
}

/** Opens the connect stream, consents in the scripted browser, and reads the stream to its end. */
export const connectWithConsent = async (
  baseURL: string,
  auth: Record<string, string>,
  serverId: string,
  browse: (url: string) => Promise<{ body: Record<string, unknown> }>,
) => {
  const res = await fetch(`${baseURL}/v1/mcp-servers/connect/${serverId}`, { headers: auth })
  const raw = readRaw(res)
  const link = await raw.next('authorization_url')
  const callback = await browse(link.url)
  await raw.done
  return { events: raw.events(), callback: callback.body }
}

/**
 * The API with OAuth wired, served on a free loopback port (callbacks come back over HTTP), and
 * an organization of its own with a caller for it.
 */
export const servedOAuthApp = async () => {
  const built = testApp({ oauthWaitMs: 20_000 })
  const org = await newOrg(built.deps)
  const served = await serveApp(built.app)
  return { built, org, served, call: apiCaller(built.app, org.auth) }
}
