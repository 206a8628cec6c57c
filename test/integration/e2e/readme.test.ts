import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/** The fenced block that follows `<!-- readme-test: name -->` in README.md, verbatim. */
const block = (name: string) => {
  const readme = readFileSync('README.md', 'utf8')
  const found = new RegExp(`<!-- readme-test: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(
    readme,
  )
  if (!found?.[1]) throw new Error(`README.md has no "${name}" block`)
  return found[1]
}

/** A folder that looks like a fresh clone (symlinks to this one), with its own .hangar/. */
const cloneLike = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-readme-'))
  // As in a real clone: the stdio children run under uids of their own and must reach node_modules.
  chmodSync(dir, 0o755)
  for (const entry of [
    'package.json',
    'package-lock.json',
    'node_modules',
    'core',
    'functions',
    'infra',
    'tsconfig.json',
  ]) {
    symlinkSync(resolve(entry), join(dir, entry))
  }
  return dir
}

describe('README commands, run verbatim', () => {
  it('Should start the stack, register server-everything with the Try example and manage keys', () => {
    const start = block('start')
    const tryIt = block('try')
    const keys = block('keys')
    // `npm ci` is the one line not run here: it would reinstall node_modules under the other tests.
    expect(start).toBe('npm ci\nnpm start\n')
    expect(keys).toContain('<key id>')
    const dir = cloneLike()
    // In a network namespace of its own, the stack gets the README's default ports (8283, 8000,
    // ...) whatever this machine runs; only loopback exists in there.
    const script = `set -u
ip link set lo up
cd ${JSON.stringify(dir)}
npm start > start.log 2>&1 &
NPM=$!
trap 'kill -INT $NPM 2>/dev/null; wait $NPM' EXIT
for i in $(seq 1 900); do grep -q 'Ctrl-C stops everything' start.log && break; sleep 0.2; done
echo '--- try'
${tryIt}
echo
echo '--- synced'
# The README's sleep is enough on an idle machine; a loaded one may need longer.
for i in $(seq 1 60); do
  curl -s "$HANGAR_URL/v1/mcp-servers/" -H "Authorization: Bearer $HANGAR_API_KEY" | grep -q '"status":"ok"' && break
  sleep 1
done
curl -s "$HANGAR_URL/v1/mcp-servers/" -H "Authorization: Bearer $HANGAR_API_KEY"
echo
echo '--- keys'
${keys.replace(
  /^(npm run keys -- revoke .*?)<key id>/m,
  '$1$(npm run -s keys -- list --org acme | head -1 | cut -c1-12)',
)}
echo '--- after revoke'
npm run -s keys -- list --org acme
kill -INT $NPM; wait $NPM
trap - EXIT
echo '--- start.log'
cat start.log
`
    writeFileSync(join(dir, 'readme.sh'), script)
    const unshare = process.getuid?.() === 0 ? ['--net'] : ['--net', '--map-root-user']
    const run = spawnSync('unshare', [...unshare, 'bash', join(dir, 'readme.sh')], {
      encoding: 'utf8',
      timeout: 170_000,
      env: {
        ...process.env,
        PORT: '',
        DYNAMODB_PORT: '',
        SQS_PORT: '',
        KMS_PORT: '',
        RUNNER_PORT: '',
        HANGAR_STATE_DIR: '',
        HANGAR_API_KEY: '',
      },
    })
    rmSync(dir, { recursive: true, force: true })
    const out = run.stdout
    expect(run.error).toBeUndefined()
    expect(run.status).toBe(0)
    const [, tryOut = '', syncedOut = '', keysOut = '', afterRevoke = '', log = ''] = out.split(
      /--- (?:try|synced|keys|after revoke|start\.log)\n/,
    )
    // The two curl answers, back to back: the created server, then the list.
    const split = tryOut.lastIndexOf('[{')
    const created = JSON.parse(tryOut.slice(0, split)) as { server_name: string }
    expect(created.server_name).toBe('everything')
    const listed = JSON.parse(tryOut.slice(split)) as {
      server_name: string
      sync: { status: string; tool_count: number }
    }[]
    expect(listed.map((s) => s.server_name)).toEqual(['everything'])
    expect(['pending', 'syncing', 'ok'], JSON.stringify(listed[0]?.sync)).toContain(
      listed[0]?.sync.status,
    )
    const synced = JSON.parse(syncedOut) as typeof listed
    expect(synced.map((s) => [s.server_name, s.sync.status, s.sync.tool_count])).toEqual([
      ['everything', 'ok', 13],
    ])
    expect(keysOut).toMatch(
      /organization: acme\nkey id: ([0-9a-f]{12})\napi key \(shown once\): hgr_/,
    )
    const id = /key id: ([0-9a-f]{12})/.exec(keysOut)?.[1]
    expect(keysOut).toMatch(new RegExp(`\\n${id}  \\d{4}-\\d\\d-\\d\\dT[^ ]+  cli\\n`))
    expect(keysOut).toContain(`revoked key ${id} of acme`)
    expect(afterRevoke).toBe('organization acme has no keys\n')
    expect(log).toContain('Hangar is running at http://127.0.0.1:8283')
    expect(log).toContain('Hangar: stopped')
  }, 180_000)
})
