// In-memory adapter of the event store port (tests, demos). Same semantics as the durable adapters.
import { canonicalJson, eventHash, GENESIS_HASH, microsOf, type ChainReader, type StoredChainEvent } from './chain.ts'
import { encodeForAppend } from './codec.ts'
import { DuplicateEventId, StreamNotFound, WrongExpectedVersion } from './errors.ts'
import { createPollingSubscription } from './subscription.ts'
import {
  START,
  comparePositions,
  type AppendOptions,
  type AppendResult,
  type EventCodec,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from './types.ts'

export type MemoryEventStoreOptions = { codec: EventCodec }

/** Throws WrongExpectedVersion unless `current` (undefined: no stream) satisfies `expected`. */
export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, current: bigint | undefined): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected)
  if (!ok) throw new WrongExpectedVersion(streamId, expected, current ?? 'no_stream')
}

/** Refuses an event id repeated within one batch. */
export function assertDistinctIds(streamId: string, events: readonly NewEvent[]): void {
  const seen = new Set<string>()
  const repeated = new Set<string>()
  for (const event of events) {
    if (seen.has(event.id)) repeated.add(event.id)
    seen.add(event.id)
  }
  if (repeated.size > 0) throw new DuplicateEventId(streamId, [...repeated], 'an event id appears twice in one append')
}

export function createMemoryEventStore(options: MemoryEventStoreOptions): EventStore & {
  /** number of events in the log */
  readonly size: number
} {
  const { codec } = options
  const log: RecordedEvent[] = []
  const streams = new Map<string, RecordedEvent[]>()
  const eventIds = new Map<string, RecordedEvent>()
  const listeners = new Set<() => void>()
  const subscriptions = new Set<Subscription>()
  let sequence = 0n
  let closed = false

  const assertOpen = () => {
    if (closed) throw new Error('The event store is closed')
  }

  const decode = (event: RecordedEvent): RecordedEvent => codec.decode(structuredClone(event))

  /** index of the first event strictly after `after` */
  const indexAfter = (after: Position): number => {
    let lo = 0
    let hi = log.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (comparePositions(log[mid]!.position, after) <= 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  const asStored = (event: RecordedEvent): StoredChainEvent => ({
    globalPosition: event.globalPosition, id: event.id, streamId: event.streamId, streamRevision: event.streamRevision, type: event.type,
    dataText: canonicalJson(event.data), metadataText: canonicalJson(event.metadata), recordedAtMicros: microsOf(event.recordedAt),
    hash: event.hash ?? null, previousHash: event.previousHash ?? null,
  })
  const chain: ChainReader = {
    async *storedEvents() {
      for (const stream of [...streams.values()]) for (const event of stream.slice()) yield asStored(event)
    },
    async streamRevisions() {
      return new Map([...streams].map(([id, stream]) => [id, BigInt(stream.length - 1)]))
    },
    async chainState() {
      return { migratedThrough: null, migratedAt: null }
    },
    async storedEvent(id) {
      const event = eventIds.get(id)
      return event ? asStored(event) : null
    },
  }

  return {
    chain,

    get size() {
      return log.length
    },

    async appendToStream(streamId: string, events: readonly NewEvent[], appendOptions: AppendOptions = {}): Promise<AppendResult> {
      assertOpen()
      const expected = appendOptions.expectedRevision ?? 'any'
      const encoded = await encodeForAppend(codec, streamId, events)
      assertDistinctIds(streamId, encoded)
      const stream = streams.get(streamId)
      const current = stream ? BigInt(stream.length - 1) : undefined

      if (stream && encoded.length > 0) {
        const present = encoded.filter((event) => eventIds.get(event.id)?.streamId === streamId)
        if (present.length === encoded.length) {
          const last = eventIds.get(encoded[encoded.length - 1]!.id)!
          return { nextExpectedRevision: current!, position: last.position, alreadyAppended: true }
        }
        if (present.length > 0) {
          throw new DuplicateEventId(
            streamId,
            present.map((event) => event.id),
            'some but not all of the events are already in the stream',
          )
        }
      }
      const elsewhere = encoded.filter((event) => eventIds.has(event.id) && eventIds.get(event.id)!.streamId !== streamId)
      if (elsewhere.length > 0) {
        throw new DuplicateEventId(streamId, elsewhere.map((event) => event.id), 'the event ids already belong to another stream')
      }

      checkExpectedRevision(streamId, expected, current)
      if (encoded.length === 0) {
        return {
          nextExpectedRevision: current ?? -1n,
          position: stream ? stream[stream.length - 1]!.position : START,
        }
      }

      const target = stream ?? []
      const recordedAt = new Date()
      let previousHash = target.length > 0 ? target[target.length - 1]!.hash ?? GENESIS_HASH : GENESIS_HASH
      for (const event of encoded) {
        sequence++
        const stored = structuredClone(event)
        const streamRevision = BigInt(target.length)
        const hash = eventHash({
          previousHash, id: stored.id, streamId, streamRevision, type: stored.type,
          dataText: canonicalJson(stored.data), metadataText: canonicalJson(stored.metadata), recordedAtMicros: microsOf(recordedAt),
        })
        const record: RecordedEvent = {
          ...stored,
          streamId,
          streamRevision,
          globalPosition: sequence,
          position: { commit: sequence, prepare: sequence },
          recordedAt,
          hash,
          previousHash,
        }
        previousHash = hash
        target.push(record)
        log.push(record)
        eventIds.set(record.id, record)
      }
      if (!stream) streams.set(streamId, target)
      for (const listener of [...listeners]) listener()
      return { nextExpectedRevision: BigInt(target.length - 1), position: target[target.length - 1]!.position }
    },

    async *readStream(streamId: string, readOptions: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
      assertOpen()
      const stream = streams.get(streamId)
      if (!stream || stream.length === 0) throw new StreamNotFound(streamId)
      const backwards = readOptions.direction === 'backwards'
      const maxCount = readOptions.maxCount ?? Number.POSITIVE_INFINITY
      const from = readOptions.fromRevision ?? (backwards ? 'end' : 'start')
      const last = stream.length - 1
      let index = from === 'start' ? 0 : from === 'end' ? (backwards ? last : last + 1) : Number(from)
      const snapshot = stream.slice(0, last + 1)
      await codec.prepareRead?.(snapshot)
      let count = 0
      if (backwards) {
        index = Math.min(index, last)
        for (; index >= 0 && count < maxCount; index--, count++) yield decode(snapshot[index]!)
      } else {
        for (index = Math.max(index, 0); index <= last && count < maxCount; index++, count++) yield decode(snapshot[index]!)
      }
    },

    async *readAll(readOptions: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
      assertOpen()
      const maxCount = readOptions.maxCount ?? Number.POSITIVE_INFINITY
      const end = log.length
      await codec.prepareRead?.(log.slice(indexAfter(readOptions.fromPosition ?? START), end))
      let count = 0
      for (let index = indexAfter(readOptions.fromPosition ?? START); index < end && count < maxCount; index++, count++) {
        yield decode(log[index]!)
      }
    },

    subscribeToAll(subscribeOptions: SubscribeToAllOptions = {}): Subscription {
      assertOpen()
      const subscription = createPollingSubscription<RecordedEvent, RecordedEvent>({
        fromPosition: subscribeOptions.fromPosition ?? START,
        filter: subscribeOptions.filter,
        async fetch(after, limit) {
          const from = indexAfter(after)
          const batch = log.slice(from, from + limit)
          await codec.prepareRead?.(batch)
          return batch
        },
        decode,
        async onWake(listener) {
          listeners.add(listener)
          return () => {
            listeners.delete(listener)
          }
        },
        safetyPollMs: 60_000,
        onClose: () => subscriptions.delete(subscription),
      })
      subscriptions.add(subscription)
      return subscription
    },

    async close() {
      closed = true
      await Promise.all([...subscriptions].map((subscription) => subscription.unsubscribe()))
    },
  }
}
