// Commands decided in memory against each stream's state, in business-time order. The events are kept in the envelopes
// executeCommand would append (toNewEvents) and appended afterwards in that order, so a long history takes seconds.
import type { Actor, Command, Decider, DomainEvent } from '../../../domain/shared/command.ts'
import { DomainError } from '../../../domain/shared/errors.ts'
import { toNewEvents } from '../../commands/handler.server.ts'
import type { GeneratedEvent } from './generator.ts'

export type DecidedHistory = ReturnType<typeof decidedHistory>

/** `prefix` names the command ids (`<prefix>-1`, ...), so a second seed would be recognised as the same commands */
export function decidedHistory(prefix: string) {
  const states = new Map<string, unknown>()
  let pending: GeneratedEvent[] = []
  let count = 0
  let n = 0
  let latest = -Infinity

  /** the command's events (also kept for appending); throws what the decider throws */
  function decide<C extends Command, E extends DomainEvent, S>(
    decider: Decider<C, E, S>, streamId: string, type: C['type'], data: C['data'], actor: Actor, at: number, commandId?: string,
  ): E[] {
    if (at < latest) throw new Error(`${type} at ${new Date(at).toISOString()} is earlier than the history before it`)
    latest = at
    const command = { type, data, metadata: { commandId: commandId ?? `${prefix}-${++n}`, now: new Date(at).toISOString(), actor } } as C
    const state = states.has(streamId) ? (states.get(streamId) as S) : decider.initialState()
    const decided = decider.decide(command, state)
    const events = Array.isArray(decided) ? decided : [decided]
    states.set(streamId, events.reduce((s, e) => decider.evolve(s, e), state))
    for (const event of toNewEvents(command, events)) pending.push({ streamId, event })
    count += events.length
    return events
  }

  return {
    decide,
    /** as decide, but a command the rules refuse (the state moved on) decides nothing: the history goes on without it */
    attempt<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string, type: C['type'], data: C['data'], actor: Actor, at: number, commandId?: string): E[] | null {
      try {
        return decide(decider, streamId, type, data, actor, at, commandId)
      } catch (error) {
        if (error instanceof DomainError) return null
        throw error
      }
    },
    /** the stream's state after what was decided so far */
    stateOf<S>(decider: Pick<Decider<Command, DomainEvent, S>, 'initialState'>, streamId: string): S {
      return states.has(streamId) ? (states.get(streamId) as S) : decider.initialState()
    },
    /** the events decided since the last call, in order */
    take(): GeneratedEvent[] {
      const out = pending
      pending = []
      return out
    },
    get count() {
      return count
    },
  }
}
