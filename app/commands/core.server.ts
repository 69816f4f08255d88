// What every area's use cases are built on: who issues a command (Issued), and running a command against a stream.
import type { ProgramSettings } from '../../domain/settings/defaults.ts'
import type { Actor, Command, CommandMetadata, Decider, DomainEvent } from '../../domain/shared/command.ts'
import type { CurrentUser } from '../auth.server.ts'
import type { CommandResult } from './handler.server.ts'

/** the acting user and the command id (form field or Idempotency-Key), so a double submit is one command */
export type Issued = { actor: Actor; commandId?: string }

export const toActor = (user: Pick<CurrentUser, 'userId' | 'organisationId' | 'role'>): Actor => ({
  userId: user.userId,
  organisationId: user.organisationId,
  role: user.role,
})

export type CommandCore = {
  /** runs a command and waits until every projection has seen its events, so the next page shows the new state */
  run<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string, command: C): Promise<CommandResult<E>>
  /** the metadata of a command issued now (a new command id unless the issuer gave one) */
  metadata(issued: Issued): CommandMetadata
  /** the program settings in force at `at` */
  settingsAt(at: string): Promise<ProgramSettings>
}
