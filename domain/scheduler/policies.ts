// Time-based policies: which scheduler commands are due, given the read models and the time. Command ids are
// derived from state, so a second run issues the same commands and the deciders treat the repeats as no-ops.
import { SCHEDULER_ACTOR } from '../shared/auth.ts'
import type { BreachDealReviewSla, ExpireDeal, SupersedeDeal } from '../deals/decide.ts'
import type { LapseCertification } from '../training/decide.ts'
import type { AllocateFromTier, ExpireAllocation } from '../allocations/decide.ts'
import { quarterStart, tierOn, type TierHistory } from '../allocations/tier-allocation.ts'
import { settingsInForce, type SettingsHistory } from '../settings/settings.ts'
import type { ClaimDeadlinePassed } from '../coinvestment/decide.ts'
import type { CommandMetadata } from '../shared/command.ts'
import { dateOf, isAfter, isBefore, quarterEnd, quarterOf } from '../shared/time.ts'

export type SchedulerView = {
  deals: { dealId: string; status: string; protectedUntil?: string | null; reviewDueAt: string; reviewSlaBreached?: boolean }[]
  certifications: { courseId: string; userId: string; validUntil: string; lapsed: boolean }[]
  allocations: { partnerId: string; quarter: string; expired: boolean }[]
  coInvestments: { coInvestmentId: string; status: string; claimDeadline?: string | null }[]
  /** registrations an approval superseded (DealConflictDecided) that are still open: the approval's follow-up did not finish */
  supersessions?: { dealId: string; byDealId: string; byPartnerId: string; byRegisteredAt: string; reason: string | null }[]
}
export type ScheduledCommand = SupersedeDeal | ExpireDeal | BreachDealReviewSla | LapseCertification | ExpireAllocation | ClaimDeadlinePassed

const meta = (commandId: string, now: string, correlationId = 'scheduler'): CommandMetadata => ({ commandId, now, actor: SCHEDULER_ACTOR, correlationId })

/**
 * An approval records the registrations it supersedes, then closes each in its own write; a process that dies between
 * the two leaves a rival open beside the approved deal. The scheduler finishes the approval's follow-up.
 */
export function dueSupersessions(view: Pick<SchedulerView, 'supersessions'>, now: string): SupersedeDeal[] {
  return (view.supersessions ?? []).map((s) => ({
    type: 'SupersedeDeal',
    data: { dealId: s.dealId, byDealId: s.byDealId, byPartnerId: s.byPartnerId, byRegisteredAt: s.byRegisteredAt, reason: s.reason },
    metadata: meta(`supersede-deal-${s.dealId}-by-${s.byDealId}`, now),
  }))
}

export function dueDealExpiries(view: Pick<SchedulerView, 'deals'>, now: string): ExpireDeal[] {
  const today = dateOf(now)
  return view.deals
    .filter((d) => d.status === 'Approved' && d.protectedUntil && d.protectedUntil < today)
    .map((d) => ({ type: 'ExpireDeal', data: { dealId: d.dealId }, metadata: meta(`expire-deal-${d.dealId}`, now) }))
}

export function dueReviewSlaBreaches(view: Pick<SchedulerView, 'deals'>, now: string): BreachDealReviewSla[] {
  return view.deals
    .filter((d) => d.status === 'Submitted' && !d.reviewSlaBreached && isBefore(d.reviewDueAt, now))
    .map((d) => ({ type: 'BreachDealReviewSla', data: { dealId: d.dealId }, metadata: meta(`breach-deal-review-sla-${d.dealId}`, now) }))
}

export function dueCertificationLapses(view: Pick<SchedulerView, 'certifications'>, now: string): LapseCertification[] {
  const today = dateOf(now)
  return view.certifications
    .filter((c) => !c.lapsed && c.validUntil < today)
    .map((c) => ({
      type: 'LapseCertification',
      data: { courseId: c.courseId, userId: c.userId },
      // validUntil is in the id: a renewed certification that lapses later is a new command
      metadata: meta(`lapse-certification-${c.courseId}-${c.userId}-${c.validUntil}`, now),
    }))
}

export function dueAllocationExpiries(view: Pick<SchedulerView, 'allocations'>, now: string): ExpireAllocation[] {
  const today = dateOf(now)
  return view.allocations
    .filter((a) => !a.expired && quarterEnd(a.quarter) < today)
    .map((a) => ({ type: 'ExpireAllocation', data: { partnerId: a.partnerId, quarter: a.quarter }, metadata: meta(`expire-allocation-${a.partnerId}-${a.quarter}`, now) }))
}

export function dueClaimDeadlines(view: Pick<SchedulerView, 'coInvestments'>, now: string): ClaimDeadlinePassed[] {
  const today = dateOf(now)
  return view.coInvestments
    .filter((c) => (c.status === 'Approved' || c.status === 'ClaimRejected') && c.claimDeadline && c.claimDeadline < today)
    .map((c) => ({ type: 'ClaimDeadlinePassed', data: { coInvestmentId: c.coInvestmentId }, metadata: meta(`claim-deadline-passed-${c.coInvestmentId}`, now) }))
}

/** An approved partner as the tier allocation needs it: when it joined, its tiers, and whether `quarter` is allocated. */
export type PartnerInProgram = { partnerId: string; joinedAt: string; tiers: TierHistory; allocated: boolean }

/**
 * Each approved partner without an allocation for the quarter of `now` gets one from its tier: the tier it held on the
 * quarter's first day (or the day it joined) and the settings in force then. Its command id names partner and quarter,
 * so every run, in any process, asks for the same allocation once (docs/decisions/017).
 */
export function dueTierAllocations(view: { partners: PartnerInProgram[]; settings: SettingsHistory }, now: string): AllocateFromTier[] {
  const quarter = quarterOf(now)
  const start = `${quarterStart(quarter)}T00:00:00.000Z`
  return view.partners.flatMap((p) => {
    if (p.allocated || isAfter(p.joinedAt, now)) return []
    const from = isAfter(p.joinedAt, start) ? p.joinedAt : start
    const tier = tierOn(p.tiers, dateOf(from))
    if (!tier) return []
    const settings = settingsInForce(view.settings, from)
    const command: AllocateFromTier = {
      type: 'AllocateFromTier',
      data: { partnerId: p.partnerId, quarter, tier, tierAmount: settings.fundAllocationByTier[tier] ?? 0, currency: settings.fundCurrency, joinedAt: p.joinedAt },
      metadata: meta(`allocate-from-tier-${p.partnerId}-${quarter}`, now),
    }
    return [command]
  })
}

/** every scheduler command due at `now` */
export function dueCommands(view: SchedulerView, now: string): ScheduledCommand[] {
  return [
    // first: a superseded registration closes before its protection could expire
    ...dueSupersessions(view, now),
    ...dueReviewSlaBreaches(view, now),
    ...dueDealExpiries(view, now),
    ...dueCertificationLapses(view, now),
    ...dueClaimDeadlines(view, now),
    ...dueAllocationExpiries(view, now),
  ]
}
