// Event store port over EventStoreDB / KurrentDB, bridging where the server differs from the contract: retried batches,
// system events, exclusive fromPosition, and the hash chain carried in metadata as $partnerlog.* keys.
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START as ESDB_START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Filter,
  type ResolvedEvent,
} from '@eventstore/db-client'
import { canonicalJson, eventHash, GENESIS_HASH, microsOf, type ChainReader, type StoredChainEvent } from './chain.ts'
import { encodeForAppend } from './codec.ts'
import { DuplicateEventId, StreamNotFound, WrongExpectedVersion } from './errors.ts'
import { assertDistinctIds, checkExpectedRevision } from './memory.ts'
import { matchesFilter } from './subscription.ts'
import {
  START,
  comparePositions,
  type AppendOptions,
  type AppendResult,
  type EventCodec,
  type EventMetadata,
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

export type EventStoreDBStoreOptions = {
  /** esdb://host:2113?tls=false, esdb+discover://cluster..., see the EventStoreDB docs */
  connectionString: string
  codec: EventCodec
}

type EsdbRecorded = NonNullable<ResolvedEvent['event']>

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY
    case 'no_stream':
      return NO_STREAM
    case 'stream_exists':
      return STREAM_EXISTS
    default:
      return expected
  }
}

function isSystem(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$')
}

/** metadata keys of the chain (the `$` prefix keeps them out of the event's metadata on read) */
const HASH_KEY = '$partnerlog.hash'
const PREVIOUS_KEY = '$partnerlog.previousHash'
const RECORDED_KEY = '$partnerlog.recordedAtMicros'

type ChainMetadata = { hash: string | null; previousHash: string | null; recordedAtMicros: bigint | null }

function chainOf(event: EsdbRecorded): ChainMetadata {
  const raw = (event.metadata ?? {}) as Record<string, unknown>
  const text = (value: unknown) => (typeof value === 'string' ? value : null)
  const micros = text(raw[RECORDED_KEY])
  return { hash: text(raw[HASH_KEY]), previousHash: text(raw[PREVIOUS_KEY]), recordedAtMicros: micros && /^\d+$/.test(micros) ? BigInt(micros) : null }
}

/** the event as stored: its metadata without the chain's own keys (which are not hashed) */
function toStoredChainEvent(event: EsdbRecorded): StoredChainEvent {
  const raw = (event.metadata ?? {}) as Record<string, unknown>
  const chain = chainOf(event)
  const metadata = Object.fromEntries(Object.entries(raw).filter(([key]) => ![HASH_KEY, PREVIOUS_KEY, RECORDED_KEY].includes(key)))
  return {
    globalPosition: event.position?.commit ?? -1n,
    id: event.id,
    streamId: event.streamId,
    streamRevision: event.revision,
    type: event.type,
    dataText: canonicalJson(event.data),
    metadataText: canonicalJson(metadata),
    recordedAtMicros: chain.recordedAtMicros ?? microsOf(event.created),
    hash: chain.hash,
    previousHash: chain.previousHash,
  }
}

function toRecorded(event: EsdbRecorded, position: Position | undefined): RecordedEvent {
  const pos = position ?? event.position
  if (!pos) throw new Error(`EventStoreDB returned event ${event.id} of ${event.streamId} without a position`)
  const rawMetadata = (event.metadata ?? {}) as Record<string, unknown>
  const metadata = Object.fromEntries(Object.entries(rawMetadata).filter(([key]) => !key.startsWith('$'))) as EventMetadata
  const chain = chainOf(event)
  return {
    ...(chain.hash ? { hash: chain.hash } : {}),
    ...(chain.previousHash ? { previousHash: chain.previousHash } : {}),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata,
    streamId: event.streamId,
    streamRevision: event.revision,
    globalPosition: pos.commit,
    position: { commit: pos.commit, prepare: pos.prepare },
    recordedAt: event.created,
  }
}

export function createEventStoreDBStore(options: EventStoreDBStoreOptions): EventStore & { client: EventStoreDBClient } {
  const { codec } = options
  const client = EventStoreDBClient.connectionString(options.connectionString)
  const subscriptions = new Set<Subscription>()
  let closed = false
  const assertOpen = () => {
    if (closed) throw new Error('The event store is closed')
  }
  const decode = (event: RecordedEvent) => codec.decode(event)

  /** the stream's last event, or undefined when it does not exist */
  async function lastEvent(streamId: string): Promise<EsdbRecorded | undefined> {
    try {
      for await (const resolved of client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (resolved.event) return resolved.event
      }
      return undefined
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined
      throw error
    }
  }

  /** On a conflict: is the batch already in the stream (an idempotent retry)? */
  async function existingBatch(streamId: string, ids: string[]): Promise<Map<string, EsdbRecorded>> {
    const wanted = new Set(ids)
    const found = new Map<string, EsdbRecorded>()
    try {
      for await (const resolved of client.readStream(streamId, { direction: BACKWARDS, fromRevision: END })) {
        const event = resolved.event
        if (event && wanted.has(event.id)) {
          found.set(event.id, event)
          if (found.size === wanted.size) break
        }
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error
    }
    return found
  }

  async function positionOf(event: EsdbRecorded): Promise<Position> {
    if (event.position) return event.position
    throw new Error(`EventStoreDB did not report the position of event ${event.id}`)
  }

  return {
    client,

    async appendToStream(streamId: string, events: readonly NewEvent[], appendOptions: AppendOptions = {}): Promise<AppendResult> {
      assertOpen()
      const expected = appendOptions.expectedRevision ?? 'any'
      const encoded = await encodeForAppend(codec, streamId, events)
      assertDistinctIds(streamId, encoded)

      if (encoded.length === 0) {
        const last = await lastEvent(streamId)
        checkExpectedRevision(streamId, expected, last?.revision)
        return last
          ? { nextExpectedRevision: last.revision, position: await positionOf(last) }
          : { nextExpectedRevision: -1n, position: START }
      }

      // chain onto the stream's last event and append under its exact revision, so that nothing slips in between
      for (let attempt = 1; ; attempt++) {
        const last = await lastEvent(streamId)
        const pinned: AppendExpectedRevision =
          expected === 'any' || expected === 'stream_exists' ? (last ? last.revision : NO_STREAM) : toEsdbExpected(expected)
        if (expected === 'stream_exists' && !last) throw new WrongExpectedVersion(streamId, expected, 'no_stream')
        // a retry of the batch that is the stream's tail: pinning the revision would let the server store it again
        if (last && encoded.some((event) => event.id === last.id)) {
          const found = await existingBatch(streamId, encoded.map((event) => event.id))
          if (found.size === encoded.length) {
            return { nextExpectedRevision: last.revision, position: await positionOf(found.get(encoded[encoded.length - 1]!.id)!), alreadyAppended: true }
          }
          throw new DuplicateEventId(streamId, [...found.keys()], 'some but not all of the events are already in the stream')
        }
        const recordedAtMicros = microsOf(new Date())
        let previousHash = last ? chainOf(last).hash ?? GENESIS_HASH : GENESIS_HASH
        let revision = last ? last.revision + 1n : 0n
        const data = encoded.map((event) => {
          const metadata = { ...event.metadata, $correlationId: event.metadata.correlationId, $causationId: event.metadata.causationId }
          const hash = eventHash({
            previousHash, id: event.id, streamId, streamRevision: revision++, type: event.type,
            dataText: canonicalJson(event.data), metadataText: canonicalJson(metadata), recordedAtMicros,
          })
          const linked = { ...metadata, [HASH_KEY]: hash, [PREVIOUS_KEY]: previousHash, [RECORDED_KEY]: recordedAtMicros.toString() }
          previousHash = hash
          return jsonEvent({ id: event.id, type: event.type, data: event.data as Record<string, unknown>, metadata: linked })
        })
        try {
          const result = await client.appendToStream(streamId, data, { expectedRevision: pinned })
          if (!result.position) throw new Error(`EventStoreDB did not report the position of the append to ${streamId}`)
          return { nextExpectedRevision: result.nextExpectedRevision, position: result.position }
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error
          const ids = encoded.map((event) => event.id)
          const found = await existingBatch(streamId, ids)
          if (found.size === ids.length) {
            const latest = await lastEvent(streamId)
            return {
              nextExpectedRevision: latest?.revision ?? found.get(ids[ids.length - 1]!)!.revision,
              position: await positionOf(found.get(ids[ids.length - 1]!)!),
              alreadyAppended: true,
            }
          }
          if (found.size > 0) {
            throw new DuplicateEventId(streamId, [...found.keys()], 'some but not all of the events are already in the stream')
          }
          // an append the caller did not pin lost a race with another: chain onto the new last event
          if ((expected === 'any' || expected === 'stream_exists') && attempt < 20) continue
          throw new WrongExpectedVersion(streamId, expected, error.actualVersion)
        }
      }
    },

    chain: {
      async *storedEvents() {
        // the streams in the log, then each one in revision order
        const streams = new Set<string>()
        for await (const resolved of client.readAll({ direction: FORWARDS, fromPosition: ESDB_START }) as AsyncIterable<AllStreamResolvedEvent>) {
          if (resolved.event && !isSystem(resolved.event)) streams.add(resolved.event.streamId)
        }
        for (const streamId of streams) {
          for await (const resolved of client.readStream(streamId, { direction: FORWARDS, fromRevision: ESDB_START })) {
            if (resolved.event) yield toStoredChainEvent(resolved.event)
          }
        }
      },
      async chainState() {
        return { migratedThrough: null, migratedAt: null }
      },
      async storedEvent(id) {
        for await (const resolved of client.readAll({ direction: FORWARDS, fromPosition: ESDB_START }) as AsyncIterable<AllStreamResolvedEvent>) {
          if (resolved.event?.id === id) return toStoredChainEvent(resolved.event)
        }
        return null
      },
    } satisfies ChainReader,

    async *readStream(streamId: string, readOptions: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
      assertOpen()
      const backwards = readOptions.direction === 'backwards'
      const from = readOptions.fromRevision ?? (backwards ? 'end' : 'start')
      if (readOptions.maxCount !== undefined && readOptions.maxCount <= 0) return
      const read = client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: from === 'start' ? ESDB_START : from === 'end' ? END : from,
        ...(readOptions.maxCount !== undefined ? { maxCount: readOptions.maxCount } : {}),
      })
      try {
        for await (const resolved of read) {
          if (!resolved.event) continue
          await codec.prepareRead?.([resolved.event])
          yield decode(toRecorded(resolved.event, resolved.event.position ?? { commit: -1n, prepare: -1n }))
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) throw new StreamNotFound(streamId)
        throw error
      }
    },

    async *readAll(readOptions: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
      assertOpen()
      const from = readOptions.fromPosition ?? START
      const maxCount = readOptions.maxCount ?? Number.POSITIVE_INFINITY
      if (maxCount <= 0) return
      let count = 0
      const read = client.readAll({ direction: FORWARDS, fromPosition: from.commit < 0n ? ESDB_START : from })
      for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
        const event = resolved.event
        if (!event || isSystem(event)) continue
        if (comparePositions(event.position, from) <= 0) continue // the server's fromPosition is inclusive
        await codec.prepareRead?.([event])
        yield decode(toRecorded(event, event.position))
        if (++count >= maxCount) break
      }
    },

    subscribeToAll(subscribeOptions: SubscribeToAllOptions = {}): Subscription {
      assertOpen()
      const from = subscribeOptions.fromPosition ?? START
      const filter = subscribeOptions.filter
      // the server filters on one criterion; the other (if any) is applied here
      let serverFilter: Filter = excludeSystemEvents()
      if (filter?.streamPrefixes?.length) serverFilter = streamNameFilter({ prefixes: [...filter.streamPrefixes] })
      else if (filter?.eventTypes?.length) serverFilter = eventTypeFilter({ prefixes: [...filter.eventTypes] })
      const esdb = client.subscribeToAll({ fromPosition: from.commit < 0n ? ESDB_START : from, filter: serverFilter })
      let ended = false
      const unsubscribe = async () => {
        if (ended) return
        ended = true
        subscriptions.delete(subscription)
        await esdb.unsubscribe()
      }
      async function* iterate(): AsyncGenerator<RecordedEvent> {
        try {
          for await (const resolved of esdb as AsyncIterable<AllStreamResolvedEvent>) {
            const event = resolved.event
            if (!event || isSystem(event)) continue
            if (comparePositions(event.position, from) <= 0) continue
            if (!matchesFilter(filter, event)) continue
            await codec.prepareRead?.([event])
            yield decode(toRecorded(event, event.position))
            if (ended) return
          }
        } finally {
          await unsubscribe()
        }
      }
      const generator = iterate()
      const subscription: Subscription = {
        [Symbol.asyncIterator]: () => generator,
        unsubscribe,
      }
      subscriptions.add(subscription)
      return subscription
    },

    async close() {
      if (closed) return
      closed = true
      await Promise.all([...subscriptions].map((subscription) => subscription.unsubscribe()))
      await client.dispose()
    },
  }
}
