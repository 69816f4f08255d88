// Use cases the routes call: gather what the decider needs from the read models, run it, wait for the projections.
import { randomUUID } from 'node:crypto'
import type { Command, Decider, DomainEvent } from '../../domain/shared/command.ts'
import type { AppServices } from '../services.server.ts'
import { settingsInForce, streamId as settingsStream, type SettingsEvent } from '../../domain/settings/index.ts'
import { StreamNotFound } from '../../eventstore/errors.ts'
import { createAccountCommands } from './accounts.server.ts'
import type { CommandCore, Issued } from './core.server.ts'
import { createDealCommands } from './deals.server.ts'
import { createEnablementCommands } from './enablement.server.ts'
import { createEngagementCommands } from './engagement.server.ts'
import { createFundsCommands } from './funds.server.ts'
import { executeCommand, type CommandResult } from './handler.server.ts'
import { createPeopleCommands } from './people.server.ts'
import { createPrivacyCommands } from './privacy.server.ts'

export { toActor, type Issued } from './core.server.ts'

export function createCommands(services: AppServices) {
  const metadata = (issued: Issued) => ({
    commandId: issued.commandId ?? randomUUID(),
    now: services.clock().toISOString(),
    actor: issued.actor,
  })

  /** The program settings in force at `at`: every decision uses the settings of the moment its command was issued. */
  async function settingsAt(at: string) {
    const history: SettingsEvent[] = []
    try {
      for await (const event of services.store.readStream(settingsStream())) history.push(event as unknown as SettingsEvent)
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error
    }
    return settingsInForce(history, at)
  }

  /** Runs a command and waits until every projection has seen its events, so the next page shows the new state. */
  async function run<C extends Command, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
  ): Promise<CommandResult<E>> {
    const result = await executeCommand(services.store, decider, streamId, command)
    if (result.position) await services.runner.waitFor(result.position, 5000).catch(() => {})
    return result
  }

  const core: CommandCore = { run, metadata, settingsAt }
  // every area's use cases, reached the same way: services.commands.<area>.<use case>(issued, ...)
  return {
    ...core,
    funds: createFundsCommands(services),
    enablement: createEnablementCommands(services, core),
    engagement: createEngagementCommands(core),
    people: createPeopleCommands(services, core),
    privacy: createPrivacyCommands(services, core),
    deals: createDealCommands(services, core),
    accounts: createAccountCommands(services, core),
  }
}

export type Commands = ReturnType<typeof createCommands>
