// Runs a command against one stream: read, decide, append with the expected revision; retried on a concurrent write.
import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import pRetry from 'p-retry'
import { foldEvents, type Command, type Decider, type DomainEvent } from '../../domain/shared/command.ts'
import { StreamNotFound, WrongExpectedVersion } from '../../eventstore/errors.ts'
import type { EventStore, NewEvent, Position, RecordedEvent } from '../../eventstore/types.ts'
import { currentSchemaVersion } from '../codec.server.ts'
import { asUnavailable } from '../unavailable.server.ts'

export type CommandResult<E extends DomainEvent = DomainEvent> = {
  events: E[]
  position: Position | null
  /** true when this command id had already been handled: nothing was appended again */
  replayed: boolean
  nextExpectedRevision: bigint | null
}

/**
 * The id of a command's `index`-th event: a UUID v7 with the command's time, the rest from the command id and index.
 * Time-ordered ids land at the event_id index's right-hand edge instead of a random page each (fewer full-page WAL
 * writes); the same command at the same time gives the same ids, so a retried append is a no-op.
 */
export function eventIdFor(commandId: string, index: number, now: string): string {
  const ms = Date.parse(now)
  const time = (Number.isFinite(ms) && ms >= 0 ? ms : 0).toString(16).padStart(12, '0').slice(-12)
  const hex = createHash('sha256').update(`${commandId}:${index}`).digest('hex')
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

export async function loadStream<S, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<Command, E, S>, 'initialState' | 'evolve' | 'fold'>,
): Promise<{ state: S; revision: bigint | null; events: RecordedEvent[] }> {
  let revision: bigint | null = null
  const events: RecordedEvent[] = []
  try {
    for await (const event of store.readStream(streamId)) {
      revision = event.streamRevision
      events.push(event)
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error
  }
  return { state: foldEvents(decider, decider.initialState(), events as unknown as E[]), revision, events }
}

export type ExecuteOptions = { maxAttempts?: number }

/**
 * The one retry policy for a concurrent write (WrongExpectedVersion): again after a short jittered pause, so many
 * writers to one stream take turns instead of colliding again; any other error is the command's answer.
 */
export const CONCURRENT_WRITE_RETRY = { retries: 24, factor: 1.5, minTimeout: 2, maxTimeout: 80, randomize: true } as const

/**
 * What this process last knew of a stream (state, revision, command ids). Appends use that revision, so a stale entry
 * costs a WrongExpectedVersion and a fresh read, never a decision against the wrong state.
 */
type Known = { decider: unknown; state: unknown; revision: bigint; commandIds: Set<string> }
const MAX_KNOWN_STREAMS = 10_000
// read with peek: a stream stays known by when it was last written, not read
const knownByStore = new WeakMap<EventStore, LRUCache<string, Known>>()

function knownStreams(store: EventStore) {
  let known = knownByStore.get(store)
  if (!known) knownByStore.set(store, (known = new LRUCache({ max: MAX_KNOWN_STREAMS })))
  return known
}

/** This process forgets what it knew of a stream (its state may hold personal data that was just erased). */
export function forgetStream(store: EventStore, streamId: string): void {
  knownStreams(store).delete(streamId)
}

function remember(known: LRUCache<string, Known>, streamId: string, entry: Known) {
  known.set(streamId, entry)
}

/** the envelopes a command's events are appended in (ids from the command id, its time and actor) */
export function toNewEvents(command: Command, events: readonly DomainEvent[]): NewEvent[] {
  const { actor, commandId, now, correlationId } = command.metadata
  return events.map((event, index) => ({
    id: eventIdFor(commandId, index, now),
    type: event.type,
    data: event.data,
    metadata: {
      actor: actor.userId,
      tenant: actor.organisationId,
      occurredAt: now,
      correlationId: correlationId ?? commandId,
      causationId: commandId,
      schemaVersion: currentSchemaVersion(event.type),
      commandId,
    },
  }))
}

/**
 * Read, decide, append with the expected revision; on a concurrent write, again (CONCURRENT_WRITE_RETRY). The first
 * attempt decides against what this process already knows of the stream, saving the read; any doubt reads it.
 */
export async function executeCommand<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  options: ExecuteOptions = {},
): Promise<CommandResult<E>> {
  let first = true
  try {
    return await pRetry(
      async () => {
        const quick = first ? await decideOnKnown(store, decider, streamId, command) : null
        first = false
        return quick ?? (await readDecideAndAppend(store, decider, streamId, command))
      },
      {
        ...CONCURRENT_WRITE_RETRY,
        ...(options.maxAttempts ? { retries: options.maxAttempts - 1 } : {}),
        shouldRetry: ({ error }) => error instanceof WrongExpectedVersion,
      },
    )
  } catch (error) {
    // the database could not be reached: 503 with Retry-After; sent again, the command is found by its id
    throw asUnavailable(error)
  }
}

/** Decides against what this process knows of the stream and appends; null when in doubt (then read the stream). */
async function decideOnKnown<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
): Promise<CommandResult<E> | null> {
  const known = knownStreams(store)
  const cached = known.peek(streamId)
  if (cached !== undefined && (cached.decider !== decider || cached.commandIds.has(command.metadata.commandId))) return null
  const state = cached ? (cached.state as S) : decider.initialState()
  let events: E[]
  try {
    const decided = decider.decide(command, state)
    events = Array.isArray(decided) ? decided : [decided]
  } catch {
    return null // decided on what may be an old picture: read the stream and decide again
  }
  if (events.length === 0) return null
  try {
    return await append(store, decider, streamId, command, events, state, cached ? cached.revision : null, cached ? cached.commandIds : new Set())
  } catch (error) {
    if (error instanceof WrongExpectedVersion) return null
    throw error
  }
}

async function readDecideAndAppend<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
): Promise<CommandResult<E>> {
  const { commandId } = command.metadata
  const loaded = await loadStream(store, streamId, decider)
  const commandIds = new Set(loaded.events.map((event) => event.metadata.commandId).filter((id): id is string => !!id))
  if (loaded.revision !== null) remember(knownStreams(store), streamId, { decider, state: loaded.state, revision: loaded.revision, commandIds })
  const previous = loaded.events.filter((event) => event.metadata.commandId === commandId)
  if (previous.length > 0) {
    const last = previous[previous.length - 1]!
    return { events: previous as unknown as E[], position: last.position, replayed: true, nextExpectedRevision: loaded.revision }
  }
  const decided = decider.decide(command, loaded.state)
  const events = Array.isArray(decided) ? decided : [decided]
  if (events.length === 0) return { events: [], position: null, replayed: false, nextExpectedRevision: loaded.revision }
  return append(store, decider, streamId, command, events, loaded.state, loaded.revision, commandIds)
}

/** Appends with the revision the decision was made on, and remembers the stream as it now is. */
async function append<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  events: E[],
  state: S,
  revision: bigint | null,
  commandIds: Set<string>,
): Promise<CommandResult<E>> {
  const known = knownStreams(store)
  try {
    const result = await store.appendToStream(streamId, toNewEvents(command, events), {
      expectedRevision: revision === null ? 'no_stream' : revision,
    })
    if (result.alreadyAppended) {
      // a run of the same command (same id, so same event ids) appended them first
      known.delete(streamId)
      return { events, position: result.position, replayed: true, nextExpectedRevision: result.nextExpectedRevision }
    }
    remember(known, streamId, {
      decider,
      state: foldEvents(decider, state, events),
      revision: result.nextExpectedRevision,
      commandIds: new Set([...commandIds, command.metadata.commandId]),
    })
    return { events, position: result.position, replayed: false, nextExpectedRevision: result.nextExpectedRevision }
  } catch (error) {
    known.delete(streamId)
    throw error
  }
}
