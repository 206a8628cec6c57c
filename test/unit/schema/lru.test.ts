import { describe, expect, it } from 'vitest'
import { createLru } from '../../../core/schema/lru.js'

const filled = (keys: string[], maxSize = 3) => {
  const lru = createLru<string, number>(maxSize)
  keys.forEach((key, i) => lru.set(key, i))
  return lru
}

describe('createLru', () => {
  it('evicts the least recently set entry beyond its size', () => {
    const lru = filled(['a', 'b', 'c', 'd'])
    expect([lru.get('a'), lru.get('b'), lru.get('d'), lru.size]).toEqual([undefined, 1, 3, 3])
  })

  it('counts a read as a use', () => {
    const lru = filled(['a', 'b', 'c'])
    lru.get('a')
    lru.set('d', 3)
    expect([lru.get('a'), lru.get('b')]).toEqual([0, undefined])
  })

  it('replaces the value of a key set again without growing', () => {
    const lru = filled(['a', 'b'])
    lru.set('a', 9)
    expect([lru.get('a'), lru.size]).toEqual([9, 2])
  })
})
