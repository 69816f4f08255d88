// Least-recently-used maps within a byte budget (lru-cache): what the view and page caches keep.
import { LRUCache } from 'lru-cache'

/** a value bigger than this share of the budget is not kept: it would push out many others */
const LARGEST_SHARE = 8

export type ByteBudgetCache<V extends {}> = LRUCache<string, V>

/** `maxBytes` 0 or less: callers keep nothing (lru-cache needs a positive budget, so it gets one byte). */
export function byteBudgetCache<V extends {}>(maxBytes: number): ByteBudgetCache<V> {
  const budget = Math.max(1, Math.floor(maxBytes))
  return new LRUCache<string, V>({ maxSize: budget, maxEntrySize: Math.max(1, Math.floor(budget / LARGEST_SHARE)) })
}

/** Keeps `value` as `bytes` big; one too big to keep (or not measurable: Infinity) leaves the key empty. */
export function keep<V extends {}>(cache: ByteBudgetCache<V>, key: string, value: V, bytes: number): void {
  if (Number.isFinite(bytes)) cache.set(key, value, { size: Math.max(1, Math.ceil(bytes)) })
  else cache.delete(key)
}
