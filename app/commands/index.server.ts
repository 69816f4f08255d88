// Use cases the routes call: gather what the decider needs from the read models, run it, wait for the projections.
import { randomUUID } from 'node:crypto'
import { getDomain } from 'tldts'
import { CONFLICTING_STATUSES, DealDecider, normaliseDomain, streamId as dealStream, type DealCommand } from '../../domain/deals/index.ts'
import type { Command, Decider, DomainEvent } from '../../domain/shared/command.ts'
import { DOMAIN } from '../../domain/shared/domains.ts'
import type { AppServices } from '../services.server.ts'
import { settingsInForce, streamId as settingsStream, type SettingsEvent } from '../../domain/settings/index.ts'
import { StreamNotFound } from '../../eventstore/errors.ts'
import type { CommandCore, Issued } from './core.server.ts'
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
    deals: {
      async register(
        issued: Issued,
        data: { dealId?: string; partnerId: string; customerName: string; customerDomain: string; value: number; currency: string; expectedCloseDate: string; items: { sku: string; name: string; quantity: number }[] },
      ) {
        const dealId = data.dealId ?? randomUUID()
        // every rival, however many: a conflict missed would protect a second partner for the same customer. A domain the
        // decider refuses needs none (and "com" would ask for every .com customer)
        const domain = normaliseDomain(data.customerDomain)
        const wellFormed = DOMAIN.test(domain)
        // the public suffix list is looked up here and handed in; the rule that refuses a suffix is the domain's
        const publicSuffix = wellFormed && getDomain(domain, { allowPrivateDomains: true }) === null
        const rivals = wellFormed && !publicSuffix ? await services.queries.deals.rivalsInDomainFamily(domain, data.partnerId, CONFLICTING_STATUSES) : []
        const meta = metadata(issued)
        const settings = await settingsAt(meta.now)
        const command: DealCommand = {
          type: 'RegisterDeal',
          data: {
            ...data,
            dealId,
            settings: { protectionDays: settings.dealProtectionDays, reviewSlaBusinessDays: settings.reviewSlaBusinessDays },
            existingRegistrations: rivals.map((d) => ({
              dealId: d.dealId, partnerId: d.partnerId, customerDomain: d.customerDomain, status: d.status, registeredAt: d.registeredAt,
            })),
            directAccounts: [],
            customerDomainFacts: { publicSuffix },
          },
          metadata: meta,
        }
        const result = await run(DealDecider, dealStream(dealId), command)
        return { dealId, result }
      },
      async approve(issued: Issued, dealId: string) {
        const meta = metadata(issued)
        const settings = await settingsAt(meta.now)
        return run(DealDecider, dealStream(dealId), { type: 'ApproveDeal', data: { dealId, settings: { protectionDays: settings.dealProtectionDays } }, metadata: meta } as DealCommand)
      },
      reject: (issued: Issued, dealId: string, reason: string) =>
        run(DealDecider, dealStream(dealId), { type: 'RejectDeal', data: { dealId, reason }, metadata: metadata(issued) } as DealCommand),
      withdraw: (issued: Issued, dealId: string) =>
        run(DealDecider, dealStream(dealId), { type: 'WithdrawDeal', data: { dealId }, metadata: metadata(issued) } as DealCommand),
      async extend(issued: Issued, dealId: string, justification: string) {
        const meta = metadata(issued)
        const settings = await settingsAt(meta.now)
        return run(DealDecider, dealStream(dealId), { type: 'RequestDealExtension', data: { dealId, justification, settings: { dealExtensionDays: settings.dealExtensionDays } }, metadata: meta } as DealCommand)
      },
      won: (issued: Issued, dealId: string, value?: number) =>
        run(DealDecider, dealStream(dealId), { type: 'MarkDealWon', data: { dealId, ...(value ? { value } : {}) }, metadata: metadata(issued) } as DealCommand),
      lost: (issued: Issued, dealId: string, reason: string, lostToDirect: boolean) =>
        run(DealDecider, dealStream(dealId), { type: 'MarkDealLost', data: { dealId, reason, lostToDirect }, metadata: metadata(issued) } as DealCommand),
    },
  }
}

export type Commands = ReturnType<typeof createCommands>
