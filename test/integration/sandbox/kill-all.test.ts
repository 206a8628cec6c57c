import { afterEach, describe, expect, it } from 'vitest'
import { processesOfUid } from '../../../core/sandbox/proc.js'
import { Sandbox, type Cell } from '../../../core/sandbox/sandbox.js'
import { testSandbox } from '../../support/sandbox.js'
import { waitFor } from '../runner/harness.js'

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A child that leaves its process group twice over: a `setsid` sleeper and a double fork. */
const escapee = (cell: Cell) => {
  const child = cell.spawn('sh', ['-c', 'setsid sleep 300 & (sleep 301 &); exec sleep 302'], {
    PATH: '/usr/bin:/bin',
  })
  child.stdout.resume()
  child.stderr.resume()
  return child
}

describe("the runner's last-resort kill", () => {
  it('Should end every process of every open cell, outside their process groups too', async () => {
    const { settings, remove } = testSandbox()
    cleanups.push(remove)
    const sandbox = new Sandbox(settings)
    const cells = [await sandbox.open('org-a'), await sandbox.open('org-b')]
    cleanups.push(() => Promise.all(cells.map((cell) => cell.close())).then(() => undefined))
    for (const cell of cells) escapee(cell)
    const counts = () => cells.map((cell) => processesOfUid(cell.uid!).length)
    await waitFor(() => counts().every((n) => n === 3))

    sandbox.killAllSync()

    expect(counts()).toEqual([0, 0])
  })
})
