// The event store port's contract: one suite, run against every reachable adapter (see contract.test.ts).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createZodCodec } from '../../eventstore/codec.ts'
import type { SqlDriver } from '../../eventstore/postgres/driver.ts'
import { APPEND_CALL, appendArguments } from '../../eventstore/postgres/schema.ts'
import { DuplicateEventId, InvalidEvent, StreamNotFound, WrongExpectedVersion } from '../../eventstore/errors.ts'
import {
  START,
  comparePositions,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type RecordedEvent,
} from '../../eventstore/types.ts'

export const testCodec = createZodCodec({
  Counted: z.object({ value: z.number() }),
  Noted: z.object({ text: z.string() }),
})

export type StressVolume = { writers: number; events: number; streams: number }

/**
 * Appends with expectedRevision 'any' in a transaction of its own that commits `holdMs` after the append returned (a
 * late commit); with `writeFirst` the transaction takes its transaction id before it appends (a caller that wrote
 * first). Resolves false when the store refused the append as a serialization failure (the writer tries again).
 */
export type LateAppend = (streamId: string, events: readonly NewEvent[], options: { holdMs: number; writeFirst: boolean }) => Promise<boolean>

export type ContractAdapter = {
  name: string
  /** why the adapter cannot run here; the suite is skipped with this reason printed */
  skipReason?: string
  /** lateAppend: adapters whose transactions can be held open (SQL) hand one over for the stress test */
  create(): Promise<{ store: EventStore; cleanup(): Promise<void>; lateAppend?: LateAppend }>
  stress: StressVolume
  /** adapter-specific tests, given the open store; they run after the stress test (the log then has 10k+ events) */
  extra?: (store: () => EventStore) => void
  /** upper bound for the median delivery latency of a live subscriber, ms */
}

export const metadata = (): EventMetadata => ({
  actor: 'user-test',
  tenant: 'vendor-test',
  occurredAt: new Date().toISOString(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  schemaVersion: 1,
})

export const counted = (value: number, id: string = randomUUID()): NewEvent => ({
  id,
  type: 'Counted',
  data: { value },
  metadata: metadata(),
})

export const streamName = (category = 'test') => `${category}-${randomUUID()}`

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of iterable) items.push(item)
  return items
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

async function wrongVersion(promise: Promise<unknown>, expected: ExpectedRevision, actual: bigint | 'no_stream') {
  const error = await rejection(promise)
  expect(error).toBeInstanceOf(WrongExpectedVersion)
  expect(error).toMatchObject({ expected, actual })
}

/** the position after which only events appended from now on will be found */
async function headPosition(store: EventStore): Promise<Position> {
  const marker = await store.appendToStream(streamName('marker'), [counted(0)])
  return marker.position
}

export function contractSuite(adapter: ContractAdapter): void {
  if (adapter.skipReason) {
    describe(adapter.name, () => {
      // skipped on purpose: this adapter's server is not reachable here (e.g. EVENTSTORE_URL unset); the reason is printed
      it.skip(`skipped: ${adapter.skipReason}`, () => {})
    })
    console.warn(`[eventstore contract] ${adapter.name} skipped: ${adapter.skipReason}`)
    return
  }

  describe(adapter.name, () => {
    let store: EventStore
    let cleanup: () => Promise<void> = async () => {}
    let lateAppend: LateAppend | undefined
    beforeAll(async () => {
      const created = await adapter.create()
      store = created.store
      cleanup = created.cleanup
      lateAppend = created.lateAppend
    })
    afterAll(async () => {
      await store?.close()
      await cleanup()
    })

    describe('expected revision', () => {
      it('no_stream: creates a stream, refuses an existing one', async () => {
        const stream = streamName()
        const result = await store.appendToStream(stream, [counted(1)], { expectedRevision: 'no_stream' })
        expect(result.nextExpectedRevision).toBe(0n)
        await wrongVersion(store.appendToStream(stream, [counted(2)], { expectedRevision: 'no_stream' }), 'no_stream', 0n)
      })

      it('any: appends whether or not the stream exists (the default)', async () => {
        const stream = streamName()
        expect((await store.appendToStream(stream, [counted(1)], { expectedRevision: 'any' })).nextExpectedRevision).toBe(0n)
        expect((await store.appendToStream(stream, [counted(2), counted(3)])).nextExpectedRevision).toBe(2n)
      })

      it('stream_exists: refuses a missing stream, appends to an existing one', async () => {
        const stream = streamName()
        await wrongVersion(
          store.appendToStream(stream, [counted(1)], { expectedRevision: 'stream_exists' }),
          'stream_exists',
          'no_stream',
        )
        await expect(collect(store.readStream(stream))).rejects.toBeInstanceOf(StreamNotFound)
        await store.appendToStream(stream, [counted(1)])
        const result = await store.appendToStream(stream, [counted(2)], { expectedRevision: 'stream_exists' })
        expect(result.nextExpectedRevision).toBe(1n)
      })

      it('exact revision: appends when it matches, reports the actual revision otherwise', async () => {
        const stream = streamName()
        await wrongVersion(store.appendToStream(stream, [counted(1)], { expectedRevision: 0n }), 0n, 'no_stream')
        await store.appendToStream(stream, [counted(1), counted(2)], { expectedRevision: 'no_stream' })
        const result = await store.appendToStream(stream, [counted(3)], { expectedRevision: 1n })
        expect(result.nextExpectedRevision).toBe(2n)
        await wrongVersion(store.appendToStream(stream, [counted(4)], { expectedRevision: 5n }), 5n, 2n)
        await wrongVersion(store.appendToStream(stream, [counted(4)], { expectedRevision: 1n }), 1n, 2n)
        expect((await collect(store.readStream(stream))).map((e) => (e.data as { value: number }).value)).toEqual([1, 2, 3])
      })

      it('appending no events only checks the expected revision', async () => {
        const stream = streamName()
        const empty = await store.appendToStream(stream, [], { expectedRevision: 'no_stream' })
        expect(empty).toEqual({ nextExpectedRevision: -1n, position: START })
        await expect(collect(store.readStream(stream))).rejects.toBeInstanceOf(StreamNotFound)
        await wrongVersion(store.appendToStream(stream, [], { expectedRevision: 'stream_exists' }), 'stream_exists', 'no_stream')
        const written = await store.appendToStream(stream, [counted(1)])
        expect(await store.appendToStream(stream, [], { expectedRevision: 0n })).toEqual(written)
        await wrongVersion(store.appendToStream(stream, [], { expectedRevision: 3n }), 3n, 0n)
        await wrongVersion(store.appendToStream(stream, [], { expectedRevision: 'no_stream' }), 'no_stream', 0n)
      })

      it('two concurrent appends with the same expected revision: exactly one wins', async () => {
        const stream = streamName()
        await store.appendToStream(stream, [counted(0)], { expectedRevision: 'no_stream' })
        const results = await Promise.allSettled(
          Array.from({ length: 4 }, (_, i) => store.appendToStream(stream, [counted(i + 1)], { expectedRevision: 0n })),
        )
        const won = results.filter((r) => r.status === 'fulfilled')
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        expect(won).toHaveLength(1)
        expect(lost).toHaveLength(3)
        for (const failure of lost) {
          expect(failure.reason).toBeInstanceOf(WrongExpectedVersion)
          expect(failure.reason).toMatchObject({ expected: 0n, actual: 1n })
        }
        expect(await collect(store.readStream(stream))).toHaveLength(2)
      })

      it('two concurrent creations of one stream with no_stream: exactly one wins', async () => {
        const stream = streamName()
        const results = await Promise.allSettled(
          Array.from({ length: 3 }, (_, i) => store.appendToStream(stream, [counted(i)], { expectedRevision: 'no_stream' })),
        )
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ expected: 'no_stream', actual: 0n })
      })
    })

    describe('idempotency', () => {
      it('appending the same event ids twice stores one copy and returns the same result', async () => {
        const stream = streamName()
        const batch = [counted(1), counted(2)]
        const first = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' })
        expect(first.alreadyAppended).toBeUndefined()
        const retry = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' })
        expect(retry).toEqual({ ...first, alreadyAppended: true })
        const again = await store.appendToStream(stream, batch)
        expect(again).toEqual({ ...first, alreadyAppended: true })
        const events = await collect(store.readStream(stream))
        expect(events.map((e) => e.id)).toEqual(batch.map((e) => e.id))
      })

      it('a retry after the stream moved on is still a no-op, reporting the current revision', async () => {
        const stream = streamName()
        const batch = [counted(1)]
        const first = await store.appendToStream(stream, batch)
        await store.appendToStream(stream, [counted(2)])
        const retry = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' })
        expect(retry.nextExpectedRevision).toBe(1n)
        expect(retry.position).toEqual(first.position)
        expect(retry.alreadyAppended).toBe(true)
        // the same with the other expectations the retry might carry
        for (const expectedRevision of [0n, 'stream_exists', 'any'] as const) {
          expect(await store.appendToStream(stream, batch, { expectedRevision })).toEqual(retry)
        }
        expect(await collect(store.readStream(stream))).toHaveLength(2)
      })

      it('a partial overlap, or an id of another stream, is refused', async () => {
        const stream = streamName()
        const present = counted(1)
        await store.appendToStream(stream, [present])
        await expect(store.appendToStream(stream, [present, counted(2)])).rejects.toBeInstanceOf(DuplicateEventId)
        const other = streamName()
        await expect(store.appendToStream(other, [present])).rejects.toBeInstanceOf(DuplicateEventId)
        await expect(store.appendToStream(other, [present], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(DuplicateEventId)
        // the refused append left nothing behind, not even the stream
        await expect(collect(store.readStream(other))).rejects.toBeInstanceOf(StreamNotFound)
        const twice = counted(3)
        await expect(store.appendToStream(stream, [twice, twice])).rejects.toBeInstanceOf(DuplicateEventId)
        expect(await collect(store.readStream(stream))).toHaveLength(1)
      })
    })

    describe('validation', () => {
      it('refuses an invalid event, naming the field, and writes nothing', async () => {
        const stream = streamName()
        const bad: NewEvent = { ...counted(1), data: { value: 'one' } }
        const error = await rejection(store.appendToStream(stream, [counted(0), bad]))
        expect(error).toBeInstanceOf(InvalidEvent)
        expect((error as InvalidEvent).issues.map((i) => i.path)).toEqual(['data.value'])
        expect((error as InvalidEvent).message).toContain('data.value')
        await expect(collect(store.readStream(stream))).rejects.toBeInstanceOf(StreamNotFound)
      })

      it('refuses text the log cannot hold (NUL, control characters, lone surrogates) in data or metadata, naming the field, and writes nothing', async () => {
        const stream = streamName()
        const noted = (text: string): NewEvent => ({ ...counted(0), type: 'Noted', data: { text } })
        for (const [text, code] of [['Maria\u0000Jensen', 'U+0000'], ['bell\u0007', 'U+0007'], ['del\u007F', 'U+007F']] as const) {
          const error = await rejection(store.appendToStream(stream, [counted(0), noted(text)]))
          expect(error).toBeInstanceOf(InvalidEvent)
          expect((error as InvalidEvent).message).toBe(`Invalid Noted: data.text: contains a control character (${code})`)
        }
        const surrogate = await rejection(store.appendToStream(stream, [noted('half \uD83D')], { expectedRevision: 'no_stream' }))
        expect((surrogate as InvalidEvent).issues).toEqual([{ path: 'data.text', message: 'contains a lone surrogate (U+D83D)' }])
        const inMetadata = await rejection(store.appendToStream(stream, [{ ...counted(1), metadata: { ...metadata(), causationId: 'c\u0000' } }]))
        expect((inMetadata as InvalidEvent).issues).toEqual([{ path: 'metadata.causationId', message: 'contains a control character (U+0000)' }])
        await expect(collect(store.readStream(stream))).rejects.toBeInstanceOf(StreamNotFound)
        // tab, newline, carriage return and characters beyond the BMP are text like any other
        const fine = 'Line 1\r\n\tLine 2 😀 Zoë 日本'
        await store.appendToStream(stream, [noted(fine)])
        expect((await collect(store.readStream(stream))).map((e) => e.data)).toEqual([{ text: fine }])
      })

      it('refuses an unknown event type and bad metadata', async () => {
        const unknown = await rejection(store.appendToStream(streamName(), [{ ...counted(1), type: 'Mystery' }]))
        expect(unknown).toBeInstanceOf(InvalidEvent)
        const badMeta = await rejection(
          store.appendToStream(streamName(), [{ ...counted(1), metadata: { ...metadata(), occurredAt: 'soon' } }]),
        )
        expect((badMeta as InvalidEvent).issues.map((i) => i.path)).toEqual(['metadata.occurredAt'])
      })
    })

    describe('readStream', () => {
      const stream = streamName()
      const ids: string[] = []
      beforeAll(async () => {
        const events = Array.from({ length: 5 }, (_, i) => counted(i))
        ids.push(...events.map((e) => e.id))
        await store.appendToStream(stream, events.slice(0, 2))
        await store.appendToStream(stream, events.slice(2))
      })
      const values = (events: RecordedEvent[]) => events.map((e) => (e.data as { value: number }).value)

      it('throws StreamNotFound for a missing stream', async () => {
        const error = await rejection(collect(store.readStream(streamName())))
        expect(error).toBeInstanceOf(StreamNotFound)
      })

      it('reads forwards with the full envelope', async () => {
        const events = await collect(store.readStream(stream))
        expect(values(events)).toEqual([0, 1, 2, 3, 4])
        expect(events.map((e) => e.streamRevision)).toEqual([0n, 1n, 2n, 3n, 4n])
        expect(events.map((e) => e.id)).toEqual(ids)
        const first = events[0]!
        expect(first.streamId).toBe(stream)
        expect(first.type).toBe('Counted')
        expect(first.metadata).toMatchObject({ actor: 'user-test', tenant: 'vendor-test', schemaVersion: 1 })
        expect(first.recordedAt).toBeInstanceOf(Date)
        expect(typeof first.globalPosition).toBe('bigint')
        expect(typeof first.position.commit).toBe('bigint')
        for (let i = 1; i < events.length; i++) {
          expect(comparePositions(events[i - 1]!.position, events[i]!.position)).toBe(-1)
        }
      })

      it('reads from a revision, backwards, and at most maxCount', async () => {
        expect(values(await collect(store.readStream(stream, { fromRevision: 2n })))).toEqual([2, 3, 4])
        expect(values(await collect(store.readStream(stream, { fromRevision: 'start', maxCount: 2 })))).toEqual([0, 1])
        expect(values(await collect(store.readStream(stream, { fromRevision: 'end' })))).toEqual([])
        expect(values(await collect(store.readStream(stream, { direction: 'backwards' })))).toEqual([4, 3, 2, 1, 0])
        expect(values(await collect(store.readStream(stream, { direction: 'backwards', fromRevision: 2n })))).toEqual([2, 1, 0])
        expect(values(await collect(store.readStream(stream, { direction: 'backwards', maxCount: 1 })))).toEqual([4])
        expect(values(await collect(store.readStream(stream, { fromRevision: 3n, maxCount: 1 })))).toEqual([3])
        expect(values(await collect(store.readStream(stream, { fromRevision: 9n })))).toEqual([])
      })
    })

    describe('readAll', () => {
      it('reads in global order; fromPosition is exclusive', async () => {
        const from = await headPosition(store)
        const a = streamName()
        const b = streamName()
        await store.appendToStream(a, [counted(1)])
        await store.appendToStream(b, [counted(2), counted(3)])
        await store.appendToStream(a, [counted(4)])
        const mine = (events: RecordedEvent[]) => events.filter((e) => e.streamId === a || e.streamId === b)
        const all = mine(await collect(store.readAll({ fromPosition: from })))
        expect(all.map((e) => (e.data as { value: number }).value)).toEqual([1, 2, 3, 4])
        for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1)
        const after = mine(await collect(store.readAll({ fromPosition: all[1]!.position })))
        expect(after.map((e) => e.id)).toEqual([all[2]!.id, all[3]!.id])
        const limited = await collect(store.readAll({ fromPosition: all[0]!.position, maxCount: 2 }))
        expect(limited.map((e) => e.id)).toEqual([all[1]!.id, all[2]!.id])
        const everything = await collect(store.readAll())
        expect(everything.length).toBeGreaterThanOrEqual(5)
        expect(everything.map((e) => e.id)).toEqual(expect.arrayContaining(all.map((e) => e.id)))
      })
    })

    describe('subscribeToAll', () => {
      it('catches up, then delivers live appends promptly, filtered by type and stream prefix', async () => {
        const from = await headPosition(store)
        const category = `sub${randomUUID().slice(0, 8)}`
        const stream = `${category}-${randomUUID()}`
        await store.appendToStream(stream, [counted(1), { ...counted(0), type: 'Noted', data: { text: 'hi' } }])
        await store.appendToStream(streamName(), [counted(99)]) // another category: filtered out

        const subscription = store.subscribeToAll({
          fromPosition: from,
          filter: { eventTypes: ['Counted'], streamPrefixes: [`${category}-`] },
        })
        const received: RecordedEvent[] = []
        const arrivals = new Map<number, number>()
        let onEvent: (() => void) | undefined
        const consumer = (async () => {
          for await (const event of subscription) {
            received.push(event)
            arrivals.set((event.data as { value: number }).value, performance.now())
            onEvent?.()
          }
        })()
        const waitFor = (count: number, timeoutMs = 5000) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`timed out with ${received.length}/${count} events`)), timeoutMs)
            const check = () => {
              if (received.length >= count) {
                clearTimeout(timer)
                onEvent = undefined
                resolve()
              }
            }
            onEvent = check
            check()
          })

        await waitFor(1)
        expect(received[0]?.streamId).toBe(stream)

        const latencies: number[] = []
        for (let i = 2; i <= 11; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20))
          const sent = performance.now()
          await store.appendToStream(stream, [counted(i)])
          await waitFor(i)
          latencies.push(arrivals.get(i)! - sent)
        }
        // a burst, appended concurrently to several streams of the category
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.appendToStream(`${category}-${i % 4}`, [counted(100 + i)])),
        )
        await waitFor(31)
        await subscription.unsubscribe()
        await consumer

        expect(received.every((e) => e.type === 'Counted' && e.streamId.startsWith(`${category}-`))).toBe(true)
        expect(new Set(received.map((e) => e.id)).size).toBe(31)
        for (let i = 1; i < received.length; i++) {
          expect(comparePositions(received[i - 1]!.position, received[i]!.position)).toBe(-1)
        }
        latencies.sort((x, y) => x - y)
        const median = latencies[Math.floor(latencies.length / 2)]!
        console.log(`[eventstore contract] ${adapter.name}: live delivery latency median ${median.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`)
        // the latency is a figure for `npm run bench` (projection-lag), never a threshold in a test
      })

      it('unsubscribe ends an idle iteration', async () => {
        const subscription = store.subscribeToAll({ fromPosition: await headPosition(store), filter: { streamPrefixes: ['nothing-'] } })
        const consumer = collect(subscription)
        await new Promise((resolve) => setTimeout(resolve, 50))
        await subscription.unsubscribe()
        expect(await consumer).toEqual([])
      })
    })

    describe('stress', () => {
      it(
        `${adapter.stress.writers} concurrent writers (exact, 'any', 'stream_exists'/'no_stream', late commits), ${adapter.stress.events} events, a subscriber restarted from its checkpoint`,
        async () => {
          await runStress(store, adapter.stress, lateAppend)
        },
        120_000,
      )
    })

    adapter.extra?.(() => store)
  })
}

/** Appends through a SqlDriver's own transaction, held open around the append (see LateAppend). */
export function lateAppendThrough(driver: SqlDriver): LateAppend {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  return async (streamId, events, { holdMs, writeFirst }) => {
    const batch = appendArguments(events.map((event) => testCodec.encode(event)))
    try {
      await driver.transaction(async (tx) => {
        if (writeFirst) {
          await tx.query('select pg_current_xact_id()')
          await pause(holdMs)
        }
        const { rows } = await tx.query<{ status: string }>(`select status from ${APPEND_CALL}`, [streamId, 'any', ...batch, null])
        if (rows[0]?.status !== 'ok') throw new Error(`late append to ${streamId}: ${rows[0]?.status}`)
        await pause(holdMs)
      })
      return true
    } catch (error) {
      if ((error as { code?: unknown }).code === '40001') return false
      throw error
    }
  }
}

type WriterMode = 'exact' | 'any' | 'exists' | 'late'
const WRITER_MODES: readonly WriterMode[] = ['exact', 'any', 'exists', 'late']

/** "stream@revision after stream@revision" for each event that comes after a later revision of its own stream */
function backwardsInStreams(events: readonly RecordedEvent[]): string[] {
  const last = new Map<string, bigint>()
  const out: string[] = []
  for (const event of events) {
    const before = last.get(event.streamId)
    if (before !== undefined && event.streamRevision <= before) out.push(`${event.streamId}@${event.streamRevision} after @${before}`)
    last.set(event.streamId, event.streamRevision)
  }
  return out
}

/**
 * Writers append concurrently, each in one way: with exact expected revisions (retrying on conflict), with 'any', with
 * 'stream_exists' / 'no_stream', or with 'any' in transactions that commit late (some of which took their transaction
 * id before appending; lateAppend, SQL adapters only; the others append with 'any' instead). A subscriber saves a
 * checkpoint after each event; midway it is stopped and restarted from the checkpoint. Nothing may be missing,
 * duplicated or out of order: in the subscription and in readAll each stream's revisions follow each other.
 */
export async function runStress(store: EventStore, volume: StressVolume, lateAppend?: LateAppend): Promise<void> {
  const prefix = `stress${randomUUID().slice(0, 8)}-`
  const streams = Array.from({ length: volume.streams }, (_, i) => `${prefix}${i}`)
  const from = await headPosition(store)
  const appended = new Map<string, string[]>() // stream -> ids in the order the writers got them accepted
  for (const stream of streams) appended.set(stream, [])
  const known = new Map<string, bigint | 'no_stream'>()

  let remaining = volume.events
  let conflicts = 0
  let refusedLate = 0
  const byMode = new Map<WriterMode, number>()
  const expectedFor = (mode: WriterMode, stream: string): ExpectedRevision => {
    const current = known.get(stream) ?? 'no_stream'
    if (mode === 'exact') return current
    if (mode === 'exists') return current === 'no_stream' ? 'no_stream' : 'stream_exists'
    return 'any'
  }
  const writer = async (seed: number) => {
    const mode = WRITER_MODES[seed % WRITER_MODES.length]!
    let n = seed
    while (remaining > 0) {
      const size = Math.min(remaining, 1 + (n % 3))
      remaining -= size
      n = (n * 1103515245 + 12345) % 2147483648
      const stream = streams[n % streams.length]!
      const batch = Array.from({ length: size }, (_, i) => counted(i))
      byMode.set(mode, (byMode.get(mode) ?? 0) + size)
      for (;;) {
        if (mode === 'late' && lateAppend) {
          if (await lateAppend(stream, batch, { holdMs: 1 + (n % 3), writeFirst: n % 2 === 0 })) break
          refusedLate++
          continue
        }
        const expected = expectedFor(mode, stream)
        try {
          const result = await store.appendToStream(stream, batch, { expectedRevision: expected })
          known.set(stream, result.nextExpectedRevision)
          break
        } catch (error) {
          if (!(error instanceof WrongExpectedVersion) || expected === 'any') throw error
          conflicts++
          known.set(stream, error.actual)
        }
      }
      appended.get(stream)!.push(...batch.map((e) => e.id))
    }
  }

  const received: RecordedEvent[] = []
  let checkpoint = from
  const half = Math.floor(volume.events / 2)
  const consume = async (stopAt: number | undefined) => {
    const subscription = store.subscribeToAll({ fromPosition: checkpoint, filter: { streamPrefixes: [prefix] } })
    for await (const event of subscription) {
      received.push(event)
      checkpoint = event.position
      if (stopAt !== undefined && received.length >= stopAt) {
        await subscription.unsubscribe()
      }
      if (received.length >= volume.events) await subscription.unsubscribe()
    }
  }

  const started = performance.now()
  const writers = Promise.all(Array.from({ length: volume.writers }, (_, i) => writer(i + 1)))
  await consume(half) // stopped midway
  const restarts = received.length
  const finished = consume(undefined)
  await writers
  const written = performance.now() - started
  await Promise.race([
    finished,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`subscriber received ${received.length}/${volume.events} events`)), 30_000),
    ),
  ])
  console.log(
    `[eventstore contract] stress: ${volume.events} events by ${volume.writers} writers in ${written.toFixed(0)} ms (${conflicts} conflicts retried, ${refusedLate} late appends refused and retried; events by mode ${JSON.stringify(Object.fromEntries(byMode))}${lateAppend ? '' : ', late writers used any'}), subscriber restarted after ${restarts}`,
  )

  const ids = received.map((e) => e.id)
  const seenOnce = new Set<string>()
  const duplicates = received.filter((e) => (seenOnce.has(e.id) ? true : (seenOnce.add(e.id), false)))
  expect(duplicates.map((e) => `${e.streamId}@${e.streamRevision} (${e.position.commit}/${e.position.prepare})`)).toEqual([])
  expect(new Set(ids).size).toBe(ids.length) // no duplicates
  const expectedIds = [...appended.values()].flat()
  expect(expectedIds).toHaveLength(volume.events)
  const seen = new Set(ids)
  const missing = expectedIds.filter((id) => !seen.has(id))
  expect(missing).toHaveLength(0)
  expect(ids).toHaveLength(volume.events)
  for (let i = 1; i < received.length; i++) {
    expect(comparePositions(received[i - 1]!.position, received[i]!.position)).toBe(-1)
  }
  // within a stream, global order is revision order: in the subscription and in readAll
  expect(backwardsInStreams(received)).toEqual([])
  const readBack = (await collect(store.readAll({ fromPosition: from }))).filter((e) => e.streamId.startsWith(prefix))
  expect(readBack.map((e) => e.id)).toEqual(ids)
  expect(backwardsInStreams(readBack)).toEqual([])
  // Each stream's events arrive in stream order, and that order is the store's own (readStream). The order in which
  // the writers saw their appends accepted is not a reference: a writer that learnt the stream's revision from
  // another writer's WrongExpectedVersion may append after it and hear back before it.
  for (const stream of streams) {
    const inOrder = received.filter((e) => e.streamId === stream)
    expect(inOrder.map((e) => e.streamRevision)).toEqual(inOrder.map((_, i) => BigInt(i)))
    expect([...inOrder.map((e) => e.id)].sort()).toEqual([...appended.get(stream)!].sort())
  }
  for (const stream of streams.filter((name) => appended.get(name)!.length > 0).slice(0, 5)) {
    const read = await collect(store.readStream(stream))
    expect(read.map((e) => e.id)).toEqual(received.filter((e) => e.streamId === stream).map((e) => e.id))
  }
}
