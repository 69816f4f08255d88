// Deal use cases: gather what the deal rules need from the read models (rivals, direct accounts, settings), run them,
// and carry an approval's decision to the registrations it supersedes.
import { randomUUID } from 'node:crypto'
import { getDomain } from 'tldts'
import {
  CONFLICTING_STATUSES, DealDecider, normaliseDomain, streamId as dealStream,
  type ConflictConfirmation, type DealCommand, type DealConflictDecided, type DealEvent,
} from '../../domain/deals/index.ts'
import { DOMAIN } from '../../domain/shared/domains.ts'
import type { AppServices } from '../services.server.ts'
import { dealConflictQueries } from '../queries/deal-conflicts.server.ts'
import type { CommandCore, Issued } from './core.server.ts'

export type NewDeal = {
  dealId?: string; partnerId: string; customerName: string; customerDomain: string; value: number; currency: string; expectedCloseDate: string
  items: { sku: string; name: string; quantity: number }[]
}
/** the vendor's second step on a conflicting approval (absent: not confirmed) */
export type Override = { confirm: ConflictConfirmation | null; reason: string | null }

/** the public suffix list is looked up here and handed in; the rule that refuses a suffix is the domain's */
export const isPublicSuffix = (domain: string) => DOMAIN.test(domain) && getDomain(domain, { allowPrivateDomains: true }) === null

export function createDealCommands(services: AppServices, { run, metadata, settingsAt }: CommandCore) {
  const conflicts = dealConflictQueries(services.sql)
  const deal = (issued: Issued, dealId: string, command: Omit<DealCommand, 'metadata'>) =>
    run(DealDecider, dealStream(dealId), { ...command, metadata: metadata(issued) } as DealCommand)
  const directAccounts = async () => (await conflicts.namedAccounts()).map((a) => ({ accountId: a.accountId, name: a.name, domains: a.domains }))

  return {
    async register(issued: Issued, data: NewDeal) {
      const dealId = data.dealId ?? randomUUID()
      // every rival, however many: a conflict missed would protect a second partner for the same customer. A domain the
      // decider refuses needs none (and "com" would ask for every .com customer)
      const domain = normaliseDomain(data.customerDomain)
      const publicSuffix = isPublicSuffix(domain)
      const wellFormed = DOMAIN.test(domain) && !publicSuffix
      const rivals = wellFormed ? await services.queries.deals.rivalsInDomainFamily(domain, data.partnerId, CONFLICTING_STATUSES) : []
      const accounts = wellFormed ? await directAccounts() : []
      const meta = metadata(issued)
      const settings = await settingsAt(meta.now)
      const command: DealCommand = {
        type: 'RegisterDeal',
        data: {
          ...data,
          dealId,
          settings: { protectionDays: settings.dealProtectionDays, reviewSlaBusinessDays: settings.reviewSlaBusinessDays },
          existingRegistrations: rivals.map((d) => ({ dealId: d.dealId, partnerId: d.partnerId, customerDomain: d.customerDomain, status: d.status, registeredAt: d.registeredAt })),
          directAccounts: accounts.flatMap((a) => a.domains),
          customerDomainFacts: { publicSuffix },
        },
        metadata: meta,
      }
      const result = await run(DealDecider, dealStream(dealId), command)
      return { dealId, result }
    },

    /**
     * Approves a registration with the rivals and direct accounts of now (the rule decides what needs confirming), then
     * closes every registration the approval superseded, so no two partners hold protection on one customer.
     */
    async approve(issued: Issued, dealId: string, override: Override = { confirm: null, reason: null }) {
      const meta = metadata(issued)
      const settings = await settingsAt(meta.now)
      const approving = await services.queries.deals.byId(dealId)
      const rivals = approving ? await services.queries.deals.rivalsInDomainFamily(approving.customerDomain, approving.partnerId, CONFLICTING_STATUSES) : []
      const result = await run(DealDecider, dealStream(dealId), {
        type: 'ApproveDeal',
        data: {
          dealId, settings: { protectionDays: settings.dealProtectionDays },
          rivals: rivals.map((d) => ({ dealId: d.dealId, partnerId: d.partnerId, customerDomain: d.customerDomain, status: d.status, registeredAt: d.registeredAt })),
          directAccounts: await directAccounts(),
          confirm: override.confirm,
          reason: override.reason,
        },
        metadata: meta,
      } as DealCommand)
      const decided = result.events.find((e: DealEvent): e is DealConflictDecided => e.type === 'DealConflictDecided')
      for (const superseded of decided?.data.superseded ?? []) {
        // one command id per superseded registration, from the approval's: a retried approval supersedes each once
        await run(DealDecider, dealStream(superseded.dealId), {
          type: 'SupersedeDeal',
          data: { dealId: superseded.dealId, byDealId: dealId, byPartnerId: approving!.partnerId, byRegisteredAt: approving!.registeredAt, reason: decided!.data.reason },
          metadata: { ...meta, commandId: `${meta.commandId}:supersede:${superseded.dealId}` },
        } as DealCommand)
      }
      return { result, superseded: decided?.data.superseded ?? [] }
    },
    reject: (issued: Issued, dealId: string, reason: string) => deal(issued, dealId, { type: 'RejectDeal', data: { dealId, reason } }),
    withdraw: (issued: Issued, dealId: string) => deal(issued, dealId, { type: 'WithdrawDeal', data: { dealId } }),
    async extend(issued: Issued, dealId: string, justification: string) {
      const meta = metadata(issued)
      const settings = await settingsAt(meta.now)
      return run(DealDecider, dealStream(dealId), { type: 'RequestDealExtension', data: { dealId, justification, settings: { dealExtensionDays: settings.dealExtensionDays } }, metadata: meta } as DealCommand)
    },
    won: (issued: Issued, dealId: string, value?: number) => deal(issued, dealId, { type: 'MarkDealWon', data: { dealId, ...(value ? { value } : {}) } }),
    lost: (issued: Issued, dealId: string, reason: string, lostToDirect: boolean) => deal(issued, dealId, { type: 'MarkDealLost', data: { dealId, reason, lostToDirect } }),
  }
}
