// What every command carries besides its data: the clock, the actor and ids arrive here, never from globals.
import { z } from 'zod'

export const Role = z.enum(['partner_user', 'partner_admin', 'channel_manager', 'vendor_admin', 'auditor'])
export type Role = z.infer<typeof Role>

export const Actor = z.object({
  userId: z.string().min(1),
  /** organisation acted for: a partner id, or the vendor id */
  organisationId: z.string().min(1),
  role: Role,
})
export type Actor = z.infer<typeof Actor>

export const CommandMetadata = z.object({
  /** unique per command; a retried command keeps its id */
  commandId: z.string().min(1),
  /** business time the command was issued (ISO-8601) */
  now: z.iso.datetime({ offset: true }),
  actor: Actor,
  correlationId: z.string().optional(),
})
export type CommandMetadata = z.infer<typeof CommandMetadata>

export type Command<Type extends string = string, Data = unknown> = {
  type: Type
  data: Data
  metadata: CommandMetadata
}

/** An event as a decider returns it: the command handler adds id, stream and metadata. */
export type DomainEvent<Type extends string = string, Data = unknown> = { type: Type; data: Data }

export type Decider<C extends Command, E extends DomainEvent, S> = {
  initialState: () => S
  evolve: (state: S, event: E) => S
  decide: (command: C, state: S) => E | E[]
  /** Optional: equal to `events.reduce(evolve, state)` but may copy a large state once, not per event; never changes `state`. */
  fold?: (state: S, events: readonly E[]) => S
}

/** The state after `events`: the decider's own fold where it has one. */
export function foldEvents<E extends DomainEvent, S>(decider: Pick<Decider<Command, E, S>, 'evolve' | 'fold'>, state: S, events: readonly E[]): S {
  return decider.fold ? decider.fold(state, events) : events.reduce((s, e) => decider.evolve(s, e), state)
}
