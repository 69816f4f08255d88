// The trust accumulator's rules: which events are kept or broken promises of the vendor, and what each weighs.
import type { DomainRecordedEvent, RecordedOf } from '../projection.ts'
import type { InsightSettings } from './settings.ts'
import { withEntry, withoutEntry } from './records.ts'
import { daysBetween, dayOf } from './time.ts'

const TRUST_MIN = 0
const TRUST_MAX = 100

/** what the rules remember between events: open deals whose review SLA already cost trust, approved claims awaiting payment */
export type TrustPending = {
  breachedDeals: string[]
  claims: Record<string, { approvedOn: string; amount: number }>
}
export const emptyTrustPending = (): TrustPending => ({ breachedDeals: [], claims: {} })

export type TrustRule = keyof InsightSettings['trust']['weights']
export type TrustVerdict = { rule: TrustRule; weight: number; reason: string }

/** pending without the deal among those whose review SLA cost trust (the same object when it is not there) */
const forgetBreach = (pending: TrustPending, dealId: string): TrustPending =>
  pending.breachedDeals.includes(dealId) ? { ...pending, breachedDeals: pending.breachedDeals.filter((id) => id !== dealId) } : pending

/** event types that can move trust */
export const TRUST_EVENTS = [
  'DealReviewSlaBreached', 'DealApproved', 'DealRejected', 'DealWithdrawn', 'DealSuperseded', 'DealWon', 'DealLost', 'ClaimApproved', 'ClaimPaid', 'ClaimRejected',
  'WorkshopHeld', 'WorkshopCancelled', 'ChannelManagerAssigned', 'SurveyAnswered', 'PlanReviewed',
] as const

export type TrustEvent = RecordedOf<(typeof TRUST_EVENTS)[number]>

const trustEvents = new Set<string>(TRUST_EVENTS)
export const isTrustEvent = (event: DomainRecordedEvent): event is TrustEvent => trustEvents.has(event.type)

/** Decides whether the event is a kept (drop) or broken (gallon) promise; returns the new pending state and the verdict, if any. */
export function judgeTrust(pending: TrustPending, event: TrustEvent, settings: InsightSettings): { pending: TrustPending; verdict: TrustVerdict | null } {
  const { type, data: d } = event
  const w = settings.trust.weights
  const verdict = (rule: TrustRule, reason: string): TrustVerdict => ({ rule, weight: w[rule], reason })
  switch (type) {
    case 'DealReviewSlaBreached':
      if (pending.breachedDeals.includes(d.dealId)) return { pending, verdict: null }
      return {
        pending: { ...pending, breachedDeals: [...pending.breachedDeals, d.dealId] },
        verdict: verdict('dealReviewSlaBreached', 'Deal registration not reviewed within the SLA'),
      }
    case 'DealApproved':
    case 'DealRejected': {
      const breached = pending.breachedDeals.includes(d.dealId)
      const next = forgetBreach(pending, d.dealId)
      if (d.withinSla === true) return { pending: next, verdict: verdict('dealReviewedWithinSla', 'Deal registration reviewed within the SLA') }
      // a late review costs trust once: when the breach was recorded, or now if it was not
      return { pending: next, verdict: breached ? null : verdict('dealReviewSlaBreached', 'Deal registration reviewed after the SLA') }
    }
    case 'DealWithdrawn':
    case 'DealSuperseded':
      // closed without a review: a breach it cost is kept, the deal is forgotten (no later review can come)
      return { pending: forgetBreach(pending, d.dealId), verdict: null }
    case 'DealWon':
      return { pending, verdict: verdict('dealWon', 'Registered deal won under protection') }
    case 'DealLost':
      return { pending, verdict: d.lostToDirect === true ? verdict('dealLostToDirect', "Deal lost to the vendor's direct sales") : null }
    case 'ClaimApproved':
      return { pending: { ...pending, claims: withEntry(pending.claims, d.coInvestmentId, { approvedOn: dayOf(event.metadata.occurredAt), amount: d.amount }) }, verdict: null }
    case 'ClaimPaid': {
      const claim = pending.claims[d.coInvestmentId]
      const next = { ...pending, claims: withoutEntry(pending.claims, d.coInvestmentId) }
      if (!claim) return { pending: next, verdict: verdict('claimPaidOnTime', 'Claim paid') }
      const late = daysBetween(claim.approvedOn, d.paidOn) > settings.trust.claimPaymentDays
      if (late) return { pending: next, verdict: verdict('claimPaidLate', `Claim paid ${daysBetween(claim.approvedOn, d.paidOn)} days after approval`) }
      if (d.amount + 0.005 < claim.amount) return { pending: next, verdict: verdict('claimPaidPartially', `Claim paid ${d.amount} of ${claim.amount} approved`) }
      return { pending: next, verdict: verdict('claimPaidOnTime', 'Claim paid on time') }
    }
    case 'ClaimRejected': {
      return { pending: { ...pending, claims: withoutEntry(pending.claims, d.coInvestmentId) }, verdict: verdict('claimRejected', 'Claim rejected after the activity was approved') }
    }
    case 'WorkshopHeld':
      return { pending, verdict: d.heldAsScheduled === true ? verdict('workshopHeldAsScheduled', 'Workshop held as scheduled') : null }
    case 'WorkshopCancelled':
      return { pending, verdict: d.cancelledBy === 'vendor' ? verdict('workshopCancelledByVendor', 'Workshop cancelled by the vendor') : null }
    case 'ChannelManagerAssigned':
      return {
        pending,
        verdict: d.previousManagerId != null && d.previousManagerId !== d.managerId ? verdict('channelManagerReassigned', 'Channel manager reassigned') : null,
      }
    case 'SurveyAnswered': {
      const scores = Object.values(d.scores)
      if (scores.length === 0) return { pending, verdict: null }
      const average = scores.reduce((a, b) => a + b, 0) / scores.length
      const shown = Math.round(average * 10) / 10
      if (average >= settings.trust.psatGoodAtLeast) return { pending, verdict: verdict('psatGood', `Good PSAT answer (${shown} of 10)`) }
      if (average <= settings.trust.psatLowAtMost) return { pending, verdict: verdict('psatLow', `Low PSAT score (${shown} of 10)`) }
      return { pending, verdict: null }
    }
    case 'PlanReviewed':
      if (d.status === 'on_track') return { pending, verdict: verdict('planOnTrack', `Joint plan on track (${d.quarter})`) }
      if (d.status === 'off_track') return { pending, verdict: verdict('planOffTrack', `Joint plan off track (${d.quarter})`) }
      return { pending, verdict: null }
    default:
      return { pending, verdict: null }
  }
}

export const clampTrust = (value: number) => Math.min(TRUST_MAX, Math.max(TRUST_MIN, Math.round(value * 100) / 100))
