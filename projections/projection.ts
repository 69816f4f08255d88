// What a projection is (a pure fold of events into keyed JSON documents) and the fold step the runner and time travel share.
import type { AnyDomainEvent } from '../domain/index.ts'
import type { RecordedEvent } from '../eventstore/types.ts'

/** a domain event type */
export type DomainEventType = AnyDomainEvent['type']

/** any recorded domain event */
export type DomainRecordedEvent = RecordedOf<DomainEventType>

/** The recorded events of the domain event types `T`, as a union on `type`, so that a check of `type` narrows `data`. */
export type RecordedOf<T extends DomainEventType> = Extract<AnyDomainEvent, { type: T }> extends infer E
  ? E extends { type: infer Type extends string; data: infer Data } ? RecordedEvent<Type, Data> : never
  : never

/**
 * A read model: a pure fold of events into documents by key. States are stored as JSONB, so they must survive a
 * JSON round trip: plain objects, arrays, strings, finite numbers, booleans, null (no bigint, Date, Map or class).
 */
export type Projection<S = unknown, E extends RecordedEvent = RecordedEvent> = {
  /** e.g. 'journey'; the rows' and the lease's identity */
  name: string
  /** raising it rebuilds the projection from position 0 in the background and swaps it in when caught up */
  version: number
  /** event types it folds; every other event only advances the checkpoint */
  handles: readonly string[]
  /** documents an event updates (e.g. [event.data.partnerId]); [] skips the event */
  keysOf(event: E): readonly string[]
  /** documents of this projection handed to every evolve (e.g. ['settings']) */
  sharedKeys?: readonly string[]
  initialState(key: string): S
  /** pure: no IO, no clock, no randomness */
  evolve(state: S, event: E, shared: Readonly<Record<string, unknown>>): S
  /**
   * Array fields that only grow (a history), which evolve appends to and never reads: the runner stores each entry as a
   * read_model_logs row so a long history is not rewritten per event; an in-memory fold keeps them in the document.
   */
  logs?: readonly string[]
  /** Optional idempotent DDL run after the tables exist, e.g. a partial expression index on this projection's rows. */
  indexes?: readonly string[]
}

// Projections are usually declared with a precise S and E; the runner holds them without those parameters.
export type AnyProjection = Projection<any, any>

/** Where the fold finds current document states: the documents touched so far (batch or in-memory rebuild). */
type DocumentSource = {
  get(key: string): unknown
  has(key: string): boolean
}

/** True when the projection folds this event type; cached, as it runs for every event. */
const handledSets = new WeakMap<object, ReadonlySet<string>>()
function handlesEvent(projection: AnyProjection, event: RecordedEvent): boolean {
  let set = handledSets.get(projection)
  if (!set) {
    set = new Set(projection.handles)
    handledSets.set(projection, set)
  }
  return set.has(event.type)
}

const NO_KEYS: readonly string[] = Object.freeze([])

/** The keys an event updates, deduplicated; [] when the projection does not handle the event. */
export function keysFor(projection: AnyProjection, event: RecordedEvent): readonly string[] {
  if (!handlesEvent(projection, event)) return NO_KEYS
  const keys = projection.keysOf(event)
  if (keys.length <= 1) return keys
  if (keys.length === 2) return keys[0] === keys[1] ? [keys[0]!] : keys
  return [...new Set(keys)]
}

/** what evolve gets as `shared` when the projection has no shared documents */
const NOTHING_SHARED: Readonly<Record<string, unknown>> = Object.freeze({})

/**
 * Applies one event to every document it names and returns the new states. `docs` must hold every existing one (a
 * missing one starts from initialState); shared documents are read first, so every key sees the same snapshot.
 */
export function applyEvent(projection: AnyProjection, docs: DocumentSource, event: RecordedEvent, keys: readonly string[]): Map<string, unknown> {
  let shared = NOTHING_SHARED
  if (projection.sharedKeys && projection.sharedKeys.length > 0) {
    const read: Record<string, unknown> = {}
    for (const key of projection.sharedKeys) read[key] = docs.has(key) ? docs.get(key) : projection.initialState(key)
    shared = Object.freeze(read)
  }
  const updated = new Map<string, unknown>()
  for (const key of keys) {
    const state = docs.has(key) ? docs.get(key) : projection.initialState(key)
    updated.set(key, projection.evolve(state, event, shared))
  }
  return updated
}

/** Folds events in memory into a Map of documents (time travel, verification, tests). */
export function foldEvents(projection: AnyProjection, docs: Map<string, unknown>, event: RecordedEvent): void {
  const keys = keysFor(projection, event)
  if (keys.length === 0) return
  for (const [key, state] of applyEvent(projection, docs, event, keys)) docs.set(key, state)
}

/** Returns the state with its log fields emptied, calling `onEntry` for each appended entry in order. */
export function takeLogEntries(fields: readonly string[], state: unknown, onEntry: (field: string, entry: unknown, idx: number) => void): unknown {
  if (typeof state !== 'object' || state === null) return state
  let out = state as Record<string, unknown>
  for (const field of fields) {
    const entries = out[field]
    if (!Array.isArray(entries) || entries.length === 0) continue
    entries.forEach((entry, idx) => onEntry(field, entry, idx))
    out = { ...out, [field]: [] }
  }
  return out
}
