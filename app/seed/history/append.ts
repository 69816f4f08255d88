// Appends a generated history through an event store: runs of one stream in one append, optionally concurrent.
import type { EventStore } from '../../../eventstore/types.ts'
import type { GeneratedEvent } from './generator.ts'

export type AppendHistoryOptions = {
  /**
   * Appends in flight at once (default 1: one append after another, so the global order is the generator's order).
   * Above 1 (PostgreSQL; PGlite has one connection), events are taken in windows of `window` events; inside a window
   * they are split into independent groups — events linked by a stream or by a partnerId go into the same group —
   * and the groups are appended concurrently, each in the generator's order. So every stream gets the same events
   * with the same revisions as a sequential run, every partner's events keep their order across streams, and an
   * event concerning no partner (settings, catalogue, survey rounds) is a barrier: it is appended alone, after
   * everything before it and before everything after it. Only the interleaving of unrelated partners inside one
   * window differs from run to run.
   */
  concurrency?: number
  /** events per window when concurrency > 1; default 2,000 */
  window?: number
}

/** partnerId of an event's data, when it concerns a partner */
function partnerOf(item: GeneratedEvent): string | undefined {
  const data = item.event.data as { partnerId?: unknown } | null
  return data && typeof data.partnerId === 'string' ? data.partnerId : undefined
}

/** Splits a window into groups that share no stream and no partner (union-find over both), each in original order. */
function independentGroups(window: readonly GeneratedEvent[]): GeneratedEvent[][] {
  const parent: number[] = []
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!
      i = parent[i]!
    }
    return i
  }
  const owner = new Map<string, number>()
  window.forEach((item, index) => {
    parent[index] = index
    for (const key of [`s:${item.streamId}`, partnerOf(item) === undefined ? undefined : `p:${partnerOf(item)}`]) {
      if (key === undefined) continue
      const other = owner.get(key)
      if (other === undefined) owner.set(key, index)
      else {
        const a = find(other)
        const b = find(index)
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b)
      }
    }
  })
  const groups = new Map<number, GeneratedEvent[]>()
  window.forEach((item, index) => {
    const root = find(index)
    let group = groups.get(root)
    if (!group) groups.set(root, (group = []))
    group.push(item)
  })
  // biggest first, so the longest chain starts at once
  return [...groups.values()].sort((a, b) => b.length - a.length)
}

/**
 * Appends the history through a store, one append per run of consecutive events of the same stream (at most 100).
 * Returns the count. See AppendHistoryOptions for concurrent appends on PostgreSQL.
 */
export async function appendHistory(
  store: EventStore,
  events: Iterable<GeneratedEvent>,
  onProgress?: (appended: number) => void,
  options: AppendHistoryOptions = {},
): Promise<number> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1))
  const windowSize = Math.max(1, Math.floor(options.window ?? 2000))
  let appended = 0
  let reported = 0
  const progressed = (count: number) => {
    appended += count
    if (onProgress && appended - reported >= 10_000) {
      reported = appended
      onProgress(appended)
    }
  }
  /** appends a sequence in order, one append per run of the same stream */
  const appendInOrder = async (items: readonly GeneratedEvent[]) => {
    let start = 0
    while (start < items.length) {
      let end = start + 1
      while (end < items.length && end - start < 100 && items[end]!.streamId === items[start]!.streamId) end++
      const run = items.slice(start, end)
      await store.appendToStream(run[0]!.streamId, run.map((b) => b.event), { expectedRevision: 'any' })
      progressed(run.length)
      start = end
    }
  }
  if (concurrency === 1) {
    let batch: GeneratedEvent[] = []
    for (const item of events) {
      if (batch.length > 0 && (batch[0]!.streamId !== item.streamId || batch.length >= 100)) {
        await appendInOrder(batch)
        batch = []
      }
      batch.push(item)
    }
    await appendInOrder(batch)
    return appended
  }

  const flushWindow = async (window: GeneratedEvent[]) => {
    if (window.length === 0) return
    const groups = independentGroups(window)
    let next = 0
    await Promise.all(
      Array.from({ length: Math.min(concurrency, groups.length) }, async () => {
        while (next < groups.length) await appendInOrder(groups[next++]!)
      }),
    )
  }
  let window: GeneratedEvent[] = []
  for (const item of events) {
    if (partnerOf(item) === undefined) {
      // a barrier: everything before it, then it alone
      await flushWindow(window)
      window = []
      await appendInOrder([item])
      continue
    }
    window.push(item)
    if (window.length >= windowSize) {
      await flushWindow(window)
      window = []
    }
  }
  await flushWindow(window)
  return appended
}
