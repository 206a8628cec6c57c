// npm run build [-- name…]: bundles each function the way `sst deploy` does (SST's defaults:
// esbuild, minified ESM for Node 22, a createRequire banner, every dependency bundled) into
// dist/<name>/index.mjs, and prints the sizes.
//
// The AWS SDK v3 is bundled, not taken from the Lambda runtime: the runtime's copy is a version
// AWS picks and changes without notice, while the lockfile pins the one the tests ran against;
// one minified, tree-shaken file also loads faster than the runtime's hundreds of SDK files
// (`npm run bench` measures the cold init).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export const entries = {
  api: 'functions/api/index.ts',
  worker: 'functions/worker/sync.ts',
  stream: 'functions/stream/changes.ts',
  sweep: 'functions/sweep/index.ts',
  runner: 'functions/runner/main.ts',
}

// CommonJS dependencies call require() for Node built-ins, which ESM output lacks.
const banner = [
  "import { createRequire as topLevelCreateRequire } from 'node:module';",
  'const require = topLevelCreateRequire(import.meta.url);',
].join('\n')

// Code splitting: modules the functions import lazily (the MCP SDK, undici, the runner client) go
// into chunks beside index.mjs, so a cold start neither parses nor evaluates them. Lambda loads
// the chunks from the same zip on first use.
export const bundle = async (name, entry) => {
  const outdir = join(root, 'dist', name)
  const outfile = join(outdir, 'index.mjs')
  rmSync(outdir, { recursive: true, force: true })
  mkdirSync(outdir, { recursive: true })
  await build({
    entryPoints: { index: join(root, entry) },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: banner },
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
  })
  const files = readdirSync(outdir, { recursive: true })
    .map((file) => join(outdir, String(file)))
    .filter((file) => file.endsWith('.mjs'))
  const bytes = statSync(outfile).size
  const total = files.reduce((sum, file) => sum + statSync(file).size, 0)
  const gzipped = gzipSync(readFileSync(outfile)).length
  return { name, outfile, bytes, total, gzipped }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10)

const main = async () => {
  const wanted = process.argv.slice(2)
  const chosen = Object.entries(entries).filter(([name, entry]) =>
    wanted.length ? wanted.includes(name) : existsSync(join(root, entry)),
  )
  const started = performance.now()
  const results = await Promise.all(chosen.map(([name, entry]) => bundle(name, entry)))
  for (const { name, bytes, total, gzipped } of results) {
    console.log(
      `${name.padEnd(7)} dist/${name}/index.mjs ${kb(bytes)} (gzip ${kb(gzipped).trim()}; with lazy chunks ${kb(total).trim()})`,
    )
  }
  console.log(`${results.length} bundles in ${Math.round(performance.now() - started)} ms`)
  const skipped = Object.keys(entries).filter((name) => !chosen.some(([n]) => n === name))
  if (skipped.length) console.log(`skipped (no entry file yet): ${skipped.join(', ')}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
