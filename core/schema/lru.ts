export type Lru<K, V> = {
  get(key: K): V | undefined
  set(key: K, value: V): void
  readonly size: number
}

/** A Map keeps insertion order: re-inserting on use makes its first key the least recent. */
export const createLru = <K, V>(maxSize: number): Lru<K, V> => {
  const entries = new Map<K, V>()
  return {
    get(key) {
      if (!entries.has(key)) return undefined
      const value = entries.get(key)!
      entries.delete(key)
      entries.set(key, value)
      return value
    },
    set(key, value) {
      entries.delete(key)
      entries.set(key, value)
      if (entries.size > maxSize) entries.delete(entries.keys().next().value!)
    },
    get size() {
      return entries.size
    },
  }
}
