import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { create } from 'tar'

interface Installed {
  name: string
  version: string
  dir: string
  manifest: Record<string, unknown>
}

export interface RegistryRequest {
  kind: 'packument' | 'tarball' | 'other'
  /** The package name (packuments and tarballs). */
  name?: string
  method: string
  path: string
}

type Deps = Record<string, string> | undefined

const readManifest = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown> & {
    name: string
    version: string
    dependencies?: Deps
    optionalDependencies?: Deps
    peerDependencies?: Deps
    peerDependenciesMeta?: Record<string, { optional?: boolean }>
  }

/** Where Node would find `name` from inside `from`, looking no higher than `root`. */
const lookup = (name: string, from: string, root: string): string | undefined => {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dir === root) return undefined
  }
}

/** Every installed name@version that `packages` need, as `npm ci` laid them out under `root`. */
const closure = (packages: readonly string[], root: string) => {
  const found = new Map<string, Installed>()
  const visit = (dir: string) => {
    const manifest = readManifest(dir)
    const key = `${manifest.name}@${manifest.version}`
    if (found.has(key)) return
    found.set(key, { name: manifest.name, version: manifest.version, dir, manifest })
    const optional = new Set(Object.keys(manifest.optionalDependencies ?? {}))
    const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
      (peer) => !manifest.peerDependenciesMeta?.[peer]?.optional,
    )
    for (const dep of new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...optional,
      ...peers,
    ])) {
      const next = lookup(dep, dir, root)
      if (next) visit(next)
      else if (!optional.has(dep)) throw new Error(`${key} needs ${dep}, which is not installed`)
    }
  }
  for (const name of packages) {
    const dir = lookup(name, root, root)
    if (!dir) throw new Error(`${name} is not installed under ${root}`)
    visit(dir)
  }
  return [...found.values()]
}

/** The installed folder as npm's tarball: everything under `package/`, without node_modules. */
const pack = async (dir: string): Promise<Buffer> => {
  const entries = readdirSync(dir).filter((entry) => entry !== 'node_modules')
  const chunks: Buffer[] = []
  const stream = create(
    {
      cwd: dir,
      gzip: true,
      portable: true,
      prefix: 'package',
      mtime: new Date('1985-10-26T08:15:00Z'),
      filter: (path) => !path.split('/').includes('node_modules'),
    },
    entries,
  )
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const tarballName = (name: string, version: string) =>
  `${name.split('/').pop() ?? name}-${version}.tgz`

/**
 * A local stand-in for the npm registry on a free 127.0.0.1 port: serves packuments and tarballs of
 * `packages` and their dependency closure, packed from this project's node_modules (which `npm ci`
 * filled), so `npx -y <package>` works with no network. Every request is recorded; `hold()` keeps
 * tarball answers back until released.
 */
export const startNpmRegistry = async (packages: readonly string[], root = resolve('.')) => {
  const installed = closure(packages, root)
  const byName = new Map<string, Installed[]>()
  for (const entry of installed) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry])
  const tarballs = new Map<string, Promise<Buffer>>()
  const tarball = (entry: Installed) => {
    const key = `${entry.name}@${entry.version}`
    let packed = tarballs.get(key)
    if (!packed) tarballs.set(key, (packed = pack(entry.dir)))
    return packed
  }
  const requests: RegistryRequest[] = []
  let held: Promise<void> | undefined
  let base = ''

  const packument = async (name: string) => {
    const versions: Record<string, unknown> = {}
    for (const entry of byName.get(name) ?? []) {
      const data = await tarball(entry)
      versions[entry.version] = {
        ...entry.manifest,
        dist: {
          tarball: `${base}/${name}/-/${tarballName(name, entry.version)}`,
          shasum: createHash('sha1').update(data).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
        },
      }
    }
    const latest = Object.keys(versions).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    return { name, 'dist-tags': { latest: latest.at(-1) }, versions }
  }

  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')
    const method = req.method ?? 'GET'
    void (async () => {
      const tgz = /^\/(.+)\/-\/([^/]+)$/.exec(path)
      const name = tgz ? tgz[1] : path.slice(1)
      const known = name !== undefined && byName.has(name)
      if (!known || method !== 'GET') {
        requests.push({ kind: 'other', method, path })
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}')
        return
      }
      if (tgz) {
        requests.push({ kind: 'tarball', name, method, path })
        const entry = byName.get(name)?.find((e) => tarballName(name, e.version) === tgz[2])
        if (!entry) return void res.writeHead(404).end()
        await held
        const data = await tarball(entry)
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(data)
        return
      }
      requests.push({ kind: 'packument', name, method, path })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(await packument(name)))
    })().catch((error: Error) => res.writeHead(500).end(error.message))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: `${base}/`,
    /** Every name@version served (the closure). */
    packages: installed.map((entry) => `${entry.name}@${entry.version}`),
    requests: () => [...requests],
    /** Keeps tarball answers back until the returned function is called. */
    hold: () => {
      let release = () => {}
      held = new Promise<void>((r) => (release = r))
      return () => {
        held = undefined
        release()
      }
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
