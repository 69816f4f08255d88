// What a page shows of a registration's conflict: the vendor sees the rivals (partner, date, status, link) and what
// approving would override; a partner sees only dates and the outcome, never another partner's identity or deal.
import { CONFLICTING_STATUSES, overriddenRivals } from '../domain/deals/conflicts.ts'
import type { DealDoc } from '../projections/deals.ts'
import { dealConflictQueries, type Rival } from './queries/deal-conflicts.server.ts'
import type { AppServices } from './services.server.ts'

export type VendorRival = Rival & { earlier: boolean; overridden: boolean }
export type VendorConflict = {
  rivals: VendorRival[]
  directAccount: { accountId: string; name: string } | null
  /** approving it now needs the second step (it overrides a rival or a direct account) */
  needsConfirmation: boolean
  won: { decidedAt: string; reason: string | null; directAccount: string | null } | null
  lost: { decidedAt: string; by: Rival | null; protectionEndedOn: string | null; reason: string | null } | null
}

/** The conflicts of the given registrations as the vendor sees them (registrations without any are left out). */
export async function vendorConflicts(services: AppServices, deals: readonly DealDoc[]): Promise<Record<string, VendorConflict>> {
  const queries = dealConflictQueries(services.sql)
  const [rivals, accounts] = await Promise.all([queries.rivalsOf(deals), queries.accountsFor(deals.map((d) => d.customerDomain))])
  const views: Record<string, VendorConflict> = {}
  for (const deal of deals) {
    const own = rivals[deal.dealId] ?? []
    const directAccount = accounts[deal.customerDomain] ?? null
    if (own.length === 0 && !directAccount && !deal.conflict && !deal.conflictWon && !deal.conflictLost) continue
    const open = own.filter((r) => CONFLICTING_STATUSES.includes(r.status)).map((r) => ({ ...r, customerDomain: deal.customerDomain }))
    const overridden = new Set(overriddenRivals(deal.conflict?.dealIds ?? [], open).map((r) => r.dealId))
    views[deal.dealId] = {
      rivals: own.map((r) => ({ ...r, earlier: r.registeredAt < deal.registeredAt, overridden: overridden.has(r.dealId) })),
      directAccount,
      needsConfirmation: deal.status === 'Submitted' && (overridden.size > 0 || directAccount !== null),
      won: deal.conflictWon ? { decidedAt: deal.conflictWon.decidedAt, reason: deal.conflictWon.reason, directAccount: deal.conflictWon.directAccount } : null,
      lost: deal.conflictLost
        ? { decidedAt: deal.conflictLost.decidedAt, by: own.find((r) => r.dealId === deal.conflictLost!.byDealId) ?? null, protectionEndedOn: deal.conflictLost.protectionEndedOn, reason: deal.conflictLost.reason }
        : null,
    }
  }
  return views
}

/** a partner's view of its registration's conflict: dates and the outcome only */
export type PartnerConflict = {
  /** when other partners registered the same customer (oldest first), and whether before this registration */
  others: { registeredAt: string; earlier: boolean }[]
  directAccount: boolean
  won: { decidedAt: string; over: { registeredAt: string; wasApproved: boolean }[]; directAccount: boolean; reason: string | null } | null
  lost: { decidedAt: string; byRegisteredAt: string; protectionEndedOn: string | null; reason: string | null } | null
}
/** a partner's own registration, without what would name or identify another partner's */
export type PartnerDeal = Omit<DealDoc, 'conflict' | 'rivalIds' | 'conflictWon' | 'conflictLost'> & { conflict: PartnerConflict | null }

/** The partner's own registrations with their conflicts as the partner may see them. */
export async function partnerDeals(services: AppServices, deals: readonly DealDoc[]): Promise<PartnerDeal[]> {
  const rivals = await dealConflictQueries(services.sql).rivalsOf(deals)
  return deals.map(({ conflict, rivalIds: _, conflictWon, conflictLost, ...deal }) => {
    const others = (rivals[deal.dealId] ?? []).map((r) => ({ registeredAt: r.registeredAt, earlier: r.registeredAt < deal.registeredAt }))
    const view: PartnerConflict | null = conflict || conflictWon || conflictLost || others.length
      ? {
          others,
          directAccount: conflict?.directAccount ?? false,
          won: conflictWon
            ? { decidedAt: conflictWon.decidedAt, over: conflictWon.superseded.map((s) => ({ registeredAt: s.registeredAt, wasApproved: s.wasApproved })), directAccount: conflictWon.directAccount !== null, reason: conflictWon.reason }
            : null,
          lost: conflictLost ? { decidedAt: conflictLost.decidedAt, byRegisteredAt: conflictLost.byRegisteredAt, protectionEndedOn: conflictLost.protectionEndedOn, reason: conflictLost.reason } : null,
        }
      : null
    return { ...deal, conflict: view }
  })
}
