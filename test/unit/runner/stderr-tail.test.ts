import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { childEnv } from '../../../core/runner/child-env.js'
import { redact, StderrTail } from '../../../core/runner/stderr-tail.js'

describe('StderrTail', () => {
  it('Should keep everything while under its bound', () => {
    const tail = new StderrTail(64)
    tail.push(Buffer.from('line one\n'))
    tail.push(Buffer.from('line two\n'))

    expect(tail.text()).toBe('line one\nline two')
  })

  it('Should keep only the end, from a whole line, past its bound', () => {
    const tail = new StderrTail(16)
    for (let i = 0; i < 10; i++) tail.push(Buffer.from(`line ${i}\n`))

    expect(tail.text()).toBe('line 8\nline 9')
  })

  it('Should cut secrets out, even where they span two chunks', () => {
    const tail = new StderrTail(64)
    tail.push(Buffer.from('token=s3cr'))
    tail.push(Buffer.from('et-value and abc\n'))

    expect(tail.text(['s3cret-value', 'abc'])).toBe('token=**** and abc')
  })
})

describe('redact', () => {
  it('Should replace longer secrets first', () => {
    expect(redact('key=abcdef', ['abcd', 'abcdef'])).toBe('key=****')
  })
})

describe('childEnv', () => {
  it('Should give the server env under a base it cannot override', () => {
    const env = childEnv(
      { TOKEN: 't', HOME: '/root', PATH: '/tmp' },
      { home: '/tmp/h', nodeDir: '/opt/node/bin', userBinDir: '/nonexistent/.local/bin' },
    )

    expect(env).toEqual({
      TOKEN: 't',
      HOME: '/tmp/h',
      TMPDIR: '/tmp/h',
      PATH: '/opt/node/bin:/usr/local/bin:/usr/bin:/bin',
      LANG: 'C.UTF-8',
    })
  })

  it('Should put the runner user ~/.local/bin (uvx) last on PATH when it exists', () => {
    const home = mkdtempSync(join(tmpdir(), 'hangar-userbin-'))
    const userBinDir = join(home, '.local', 'bin')
    mkdirSync(userBinDir, { recursive: true })
    try {
      expect(childEnv({}, { home: '/tmp/h', nodeDir: '/opt/node/bin', userBinDir }).PATH).toBe(
        `/opt/node/bin:/usr/local/bin:/usr/bin:/bin:${userBinDir}`,
      )
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})
