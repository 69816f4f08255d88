// The event store port: one contract for every adapter, mirroring EventStoreDB's semantics.
import type { ChainReader } from './chain.ts'

/**
 * A place in the global log: `commit` orders first, `prepare` breaks ties (Postgres: transaction id and row sequence).
 * A checkpoint stores the whole position, never one half.
 */
export type Position = { readonly commit: bigint; readonly prepare: bigint }

export const START: Position = { commit: -1n, prepare: -1n }

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1
  return 0
}

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint

export type EventMetadata = {
  /** user id (or 'system:<name>') that caused the event */
  actor: string
  /** organisation the actor acted for */
  tenant: string
  /** ISO-8601 time the command was issued (business time) */
  occurredAt: string
  correlationId: string
  causationId: string
  schemaVersion: number
  /** id of the command that produced the event, for idempotent retries */
  commandId?: string
}

export type NewEvent<Type extends string = string, Data = unknown> = {
  /** uuid; appending an id already in the stream is a no-op */
  id: string
  type: Type
  data: Data
  metadata: EventMetadata
}

export type RecordedEvent<Type extends string = string, Data = unknown> = NewEvent<Type, Data> & {
  streamId: string
  /** 0-based revision of this event within its stream */
  streamRevision: bigint
  /** monotonically increasing sequence number assigned on append (not gap-free, not commit order) */
  globalPosition: bigint
  /** the ordering key of the global log (see Position) */
  position: Position
  recordedAt: Date
  /** hex SHA-256 chaining this event to the previous one of its stream (eventstore/chain.ts); absent where not stored */
  hash?: string
  /** hash of the stream's previous event (zeros for revision 0) */
  previousHash?: string
}

export type AppendOptions = { expectedRevision?: ExpectedRevision }

export type AppendResult = {
  /** revision of the last event now in the stream */
  nextExpectedRevision: bigint
  /** position of the last event appended (or already present, on an idempotent retry) */
  position: Position
  /** true when every event was already in the stream (an idempotent retry) and nothing was written */
  alreadyAppended?: boolean
}

export type ReadStreamOptions = {
  fromRevision?: bigint | 'start' | 'end'
  direction?: 'forwards' | 'backwards'
  maxCount?: number
}

export type ReadAllOptions = {
  /** exclusive: events strictly after this position; START (default) reads from the beginning */
  fromPosition?: Position
  maxCount?: number
}

export type SubscriptionFilter = {
  eventTypes?: readonly string[]
  streamPrefixes?: readonly string[]
}

export type SubscribeToAllOptions = {
  /** exclusive, as in readAll */
  fromPosition?: Position
  filter?: SubscriptionFilter
}

/** Catch-up then live. Iterate it; `unsubscribe` ends the iteration. */
export interface Subscription<E extends RecordedEvent = RecordedEvent> extends AsyncIterable<E> {
  unsubscribe(): Promise<void>
  /**
   * Read again now rather than after a backoff: the caller ended a transaction that may have kept committed events
   * from view (PostgreSQL reads only transactions older than every running one). Optional; a hint only.
   */
  poke?(): void
}

export interface EventStore<E extends RecordedEvent = RecordedEvent> {
  appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>
  /** throws StreamNotFound when the stream has no event */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<E>
  readAll(options?: ReadAllOptions): AsyncIterable<E>
  subscribeToAll(options?: SubscribeToAllOptions): Subscription<E>
  close(): Promise<void>
  /** the log as stored, for verifying its hash chain (eventstore/verify-log.ts) */
  readonly chain?: ChainReader
}

/** What a read path hands to `prepareRead` before decoding: the stored type and data of each event. */
export type StoredEventData = { readonly type: string; readonly data: unknown }

/**
 * Validates event data with the schemas handed in at creation: encode on append, decode (upcasting first) on read;
 * both throw InvalidEvent naming the field. They are synchronous; IO (e.g. keys) goes in the prepare hooks adapters await.
 */
export interface EventCodec {
  encode(event: NewEvent): NewEvent
  decode<E extends RecordedEvent>(event: E): E
  prepareAppend?(events: readonly NewEvent[]): Promise<void>
  prepareRead?(events: readonly StoredEventData[]): Promise<void>
}
