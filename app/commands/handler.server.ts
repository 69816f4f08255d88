// Runs a command against one stream: read, decide, append with the expected revision; retried on a concurrent write.
import { createHash } from 'node:crypto'
import type { Command, Decider, DomainEvent } from '../../domain/shared/command.ts'
import { StreamNotFound, WrongExpectedVersion } from '../../eventstore/errors.ts'
import type { EventStore, NewEvent, Position, RecordedEvent } from '../../eventstore/types.ts'

export type CommandResult<E extends DomainEvent = DomainEvent> = {
  events: E[]
  position: Position | null
  /** true when this command id had already been handled: nothing was appended again */
  replayed: boolean
  nextExpectedRevision: bigint | null
}

/** A uuid derived from the command id, so a retried command appends the same event ids (the store ignores them). */
export function eventIdFor(commandId: string, index: number): string {
  const hex = createHash('sha256').update(`${commandId}:${index}`).digest('hex')
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

export async function loadStream<S, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<Command, E, S>, 'initialState' | 'evolve'>,
): Promise<{ state: S; revision: bigint | null; events: RecordedEvent[] }> {
  let state = decider.initialState()
  let revision: bigint | null = null
  const events: RecordedEvent[] = []
  try {
    for await (const event of store.readStream(streamId)) {
      state = decider.evolve(state, event as unknown as E)
      revision = event.streamRevision
      events.push(event)
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error
  }
  return { state, revision, events }
}

export type ExecuteOptions = { maxAttempts?: number }

export async function executeCommand<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  options: ExecuteOptions = {},
): Promise<CommandResult<E>> {
  const maxAttempts = options.maxAttempts ?? 5
  for (let attempt = 1; ; attempt++) {
    const { state, revision, events: history } = await loadStream(store, streamId, decider)
    const previous = history.filter((event) => event.metadata.commandId === command.metadata.commandId)
    if (previous.length > 0) {
      const last = previous[previous.length - 1]!
      return { events: previous as unknown as E[], position: last.position, replayed: true, nextExpectedRevision: revision }
    }
    const decided = decider.decide(command, state)
    const events = Array.isArray(decided) ? decided : [decided]
    if (events.length === 0) return { events: [], position: null, replayed: false, nextExpectedRevision: revision }
    const { actor, commandId, now, correlationId } = command.metadata
    const toAppend: NewEvent[] = events.map((event, index) => ({
      id: eventIdFor(commandId, index),
      type: event.type,
      data: event.data,
      metadata: {
        actor: actor.userId,
        tenant: actor.organisationId,
        occurredAt: now,
        correlationId: correlationId ?? commandId,
        causationId: commandId,
        schemaVersion: 1,
        commandId,
      },
    }))
    try {
      const result = await store.appendToStream(streamId, toAppend, {
        expectedRevision: revision === null ? 'no_stream' : revision,
      })
      // a concurrent run of the same command (same id, so same event ids) may have appended them first
      return { events, position: result.position, replayed: result.alreadyAppended === true, nextExpectedRevision: result.nextExpectedRevision }
    } catch (error) {
      if (error instanceof WrongExpectedVersion && attempt < maxAttempts) continue
      throw error
    }
  }
}
