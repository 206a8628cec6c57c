import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const DIR = 'infra/local/dynamodb'
const disassemble = (classPath: string) =>
  execFileSync('javap', ['-c', '-p', '-cp', classPath, 'LoopbackDynamoDbLocal'], {
    encoding: 'utf8',
  })

describe('LoopbackDynamoDbLocal.class', () => {
  it('Should be what LoopbackDynamoDbLocal.java compiles to (javac --release 17)', () => {
    const out = mkdtempSync(join(tmpdir(), 'hangar-javac-'))
    try {
      execFileSync('javac', ['--release', '17', '-d', out, join(DIR, 'LoopbackDynamoDbLocal.java')])
      const committed = disassemble(DIR)
      expect(committed).toContain('setHost')
      expect(disassemble(out)).toBe(committed)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 60_000)
})
