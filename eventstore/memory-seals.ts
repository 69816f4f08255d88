// Seals of a memory event store (tests, demos): kept in an array, the events' hashes read through readAll.
import type { Seal, SealLeaf, SealStorage, SealWriter } from './seal.ts'
import { comparePositions, type EventStore, type Position } from './types.ts'

export function createMemorySealStorage(store: EventStore): SealStorage & { readonly rows: Seal[] } {
  const rows: Seal[] = []
  let queue: Promise<unknown> = Promise.resolve()

  // every memory append is visible at once and in order: every stored event is safe to seal
  const leaves = async (after: Position, through: Position | null, limit: number): Promise<SealLeaf[]> => {
    const found: SealLeaf[] = []
    for await (const event of store.readAll({ fromPosition: after })) {
      if (found.length >= limit || (through && comparePositions(event.position, through) > 0)) break
      found.push({ position: event.position, hash: event.hash ?? null })
    }
    return found
  }
  const writer: SealWriter = {
    last: async () => rows[rows.length - 1] ?? null,
    safeLeavesAfter: (after, limit) => leaves(after, null, limit),
    async insert(seal) {
      if (rows.some((row) => row.number === seal.number)) throw new Error(`seal #${seal.number} exists already`)
      rows.push(structuredClone(seal))
    },
  }

  return {
    /** the stored seals, for tests that tamper with them */
    rows,
    exclusive<T>(fn: (writer: SealWriter) => Promise<T>): Promise<T> {
      const run = queue.then(() => fn(writer))
      queue = run.catch(() => undefined)
      return run
    },
    async *seals() {
      yield* [...rows].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0)).map((seal) => structuredClone(seal))
    },
    leaves,
  }
}
