// A least-recently-used map within a byte budget: what the view and page caches keep.

export type Lru<V> = {
  /** the value, now the most recently used */
  get(key: string): V | undefined
  /** the value, its place in the order unchanged */
  peek(key: string): V | undefined
  /** keeps the value unless it is larger than an eighth of the budget; drops the least recently used to fit */
  set(key: string, value: V, bytes: number): boolean
  readonly entries: number
  readonly bytes: number
}

/** a value bigger than this share of the budget is not kept: it would push out many others */
const LARGEST_SHARE = 8

export function createLru<V>(maxBytes: number): Lru<V> {
  const entries = new Map<string, { value: V; bytes: number }>()
  let bytes = 0
  const remove = (key: string) => {
    const found = entries.get(key)
    if (!found) return
    entries.delete(key)
    bytes -= found.bytes
  }
  return {
    get(key) {
      const found = entries.get(key)
      if (!found) return undefined
      entries.delete(key)
      entries.set(key, found)
      return found.value
    },
    peek: (key) => entries.get(key)?.value,
    set(key, value, size) {
      remove(key)
      if (!(size <= maxBytes / LARGEST_SHARE)) return false
      entries.set(key, { value, bytes: size })
      bytes += size
      // Map iterates in insertion order: the least recently used first
      for (const oldest of entries.keys()) {
        if (bytes <= maxBytes) break
        remove(oldest)
      }
      return true
    },
    get entries() {
      return entries.size
    },
    get bytes() {
      return bytes
    },
  }
}
