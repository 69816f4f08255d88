// Raw per-partner facts the journey, scorecard, pyramid and lifetime-value read models fold from events (no "now" in here).
import type { DomainRecordedEvent, RecordedOf } from '../projection.ts'
import type { InsightSettings } from './settings.ts'
import { clampTrust, emptyTrustPending, isTrustEvent, judgeTrust, type TrustPending } from './trust-rules.ts'
import { coInvestmentPut, hasCoInvestmentOutOfForceBefore } from './fact-reads.ts'
import { filterEntries, mapEntries, withEntry, withoutEntry } from './records.ts'
import { dayOf, quarterEnd, quarterOf, round2, shiftQuarter, daysBetween } from './time.ts'

/** quarters of history kept per partner (older quarter buckets are dropped as new events arrive) */
const KEEP_QUARTERS = 12

/** what the journey and pyramid read of a co-investment (amounts approved and paid are the funds read models') */
export type CoInvestmentFact = {
  kind: 'mdf' | 'coop' | 'cofunded_head'
  quarter: string
  partnerInvestment: number
  approvedOn: string | null
  /** approved and neither declined, rejected at claim, closed unclaimed, nor its quarter's allocation expired */
  inForce: boolean
}

export type PlanFacts = {
  createdOn: string
  reviews: { quarter: string; on: string; status: 'on_track' | 'at_risk' | 'off_track'; onTime: boolean }[]
}

export type PartnerFacts = {
  partnerId: string
  company: string | null
  partnerType: string | null
  tier: string | null
  status: 'applied' | 'approved' | 'rejected' | 'unknown'
  appliedOn: string | null
  approvedOn: string | null
  geographies: string[]
  segments: string[]
  channelManagerId: string | null
  approvedDeals: number
  wonDeals: number
  /** won revenue and deal count by the quarter of the close date */
  won: Record<string, { revenue: number; deals: number }>
  /** customer domain -> quarter of its latest won deal */
  customers: Record<string, string>
  /** open registrations: deal id -> customer domain (forgotten when the deal closes) */
  openDeals: Record<string, string>
  /** course:user -> held certification (removed when it lapses; queries also compare validUntil with "now") */
  certifications: Record<string, { name: string; validUntil: string }>
  certificationsLapsed: number
  completions: Record<string, number>
  /** asset-use points by quarter (weights in settings) */
  assetUse: Record<string, number>
  coInvestments: Record<string, CoInvestmentFact>
  /** co-investment approved, by the quarter of approval */
  coInvestApproved: Record<string, number>
  /** co-investment paid (claims), by the quarter of payment; heads: the co-funded-head part of it */
  coInvestPaid: Record<string, number>
  headsPaid: Record<string, number>
  expiredAllocations: string[]
  plan: PlanFacts | null
  workshopsHeld: Record<string, number>
  workshopsCancelledByVendor: number
  psat: { average: number; on: string } | null
  trust: number
  trustPending: TrustPending
  lastActivityAt: string | null
}

/** every event type the facts fold reads */
export const FACT_EVENTS = [
  'PartnerApplied', 'PartnerApproved', 'PartnerRejected', 'ChannelManagerAssigned', 'TierChanged',
  'DealRegistered', 'DealApproved', 'DealRejected', 'DealWithdrawn', 'DealWon', 'DealLost', 'DealExpired', 'DealReviewSlaBreached', 'DealSuperseded',
  'CourseCompleted', 'CertificationEarned', 'CertificationLapsed',
  'AssetViewed', 'AssetDownloaded', 'AssetCoBranded', 'AssetShared',
  'CoInvestmentRequested', 'CoInvestmentResubmitted', 'CoInvestmentApproved', 'CoInvestmentDeclined', 'ClaimApproved', 'ClaimRejected', 'ClaimPaid',
  'ClaimWindowClosed', 'AllocationExpired',
  'JointBusinessPlanCreated', 'PlanReviewed',
  'WorkshopRequested', 'WorkshopHeld', 'WorkshopCancelled',
  'SurveyAnswered',
] as const

export type FactEvent = RecordedOf<(typeof FACT_EVENTS)[number]>

export function emptyFacts(partnerId: string, settings: InsightSettings): PartnerFacts {
  return {
    partnerId, company: null, partnerType: null, tier: null, status: 'unknown', appliedOn: null, approvedOn: null,
    geographies: [], segments: [], channelManagerId: null, approvedDeals: 0, wonDeals: 0, won: {}, customers: {}, openDeals: {},
    certifications: {}, certificationsLapsed: 0, completions: {}, assetUse: {}, coInvestments: {}, coInvestApproved: {},
    coInvestPaid: {}, headsPaid: {}, expiredAllocations: [], plan: null, workshopsHeld: {}, workshopsCancelledByVendor: 0,
    psat: null, trust: settings.trust.initial, trustPending: emptyTrustPending(), lastActivityAt: null,
  }
}

const add = (record: Record<string, number>, key: string, amount: number) => ({ ...record, [key]: round2((record[key] ?? 0) + amount) })

/** drops quarter buckets older than KEEP_QUARTERS before `quarter` */
function prune<T>(record: Record<string, T>, quarter: string): Record<string, T> {
  const oldest = shiftQuarter(quarter, -KEEP_QUARTERS)
  let stale = false
  for (const key in record) if (key < oldest) stale = true
  if (!stale) return record
  return Object.fromEntries(Object.entries(record).filter(([key]) => key >= oldest))
}

/**
 * drops customers whose latest won deal is in a quarter older than KEEP_QUARTERS before `quarter` (the scorecard counts
 * the customers of the four quarters ending with the one it is read on, never before the partner's last event)
 */
function pruneValues(record: Record<string, string>, quarter: string): Record<string, string> {
  const oldest = shiftQuarter(quarter, -KEEP_QUARTERS)
  let stale = false
  for (const key in record) if (record[key]! < oldest) stale = true
  if (!stale) return record
  return filterEntries(record, (q) => q >= oldest)
}

/** partner id of an event the facts fold reads, or null */
export const partnerOf = (event: DomainRecordedEvent): string | null => {
  const id = 'partnerId' in event.data ? event.data.partnerId : undefined
  return typeof id === 'string' ? id : null
}

/**
 * The partner's facts after `event` (from the empty facts for a new partner). Decision 020 remembered each step per
 * event object for the four read models that folded the same facts; since decision 026 the journey is the only one, and
 * the WeakMap of steps cost more (a set per event, ephemerons for the garbage collector) than it saved (decision 030).
 */
export function nextFacts(prior: PartnerFacts | null | undefined, event: FactEvent, settings: InsightSettings, partnerId: string): PartnerFacts {
  return evolveFacts(prior ?? emptyFacts(partnerId, settings), event, settings)
}

export function evolveFacts(state: PartnerFacts, event: FactEvent, settings: InsightSettings): PartnerFacts {
  const { type, data: d } = event
  const at = event.metadata.occurredAt
  const day = dayOf(at)
  const q = quarterOf(at)
  // one copy per event, filled in before anyone sees it (in the order the per-case spreads used to write the fields)
  const f = copyFacts(state)
  f.lastActivityAt = state.lastActivityAt && state.lastActivityAt > at ? state.lastActivityAt : at
  if (isTrustEvent(event)) {
    const { pending, verdict } = judgeTrust(f.trustPending, event, settings)
    f.trustPending = pending
    f.trust = verdict ? clampTrust(f.trust + verdict.weight) : f.trust
  }
  switch (type) {
    case 'PartnerApplied':
      f.company = d.company
      f.partnerType = d.partnerType
      f.geographies = [...d.geographies]
      f.segments = [...d.segments]
      f.status = 'applied'
      f.appliedOn = day
      break
    case 'PartnerApproved':
      f.status = 'approved'
      f.tier = d.tier
      f.approvedOn = day
      break
    case 'PartnerRejected':
      f.status = 'rejected'
      break
    case 'ChannelManagerAssigned':
      f.channelManagerId = d.managerId
      break
    case 'TierChanged':
      f.tier = d.to
      break
    case 'DealRegistered':
      f.openDeals = withEntry(f.openDeals, d.dealId, d.customerDomain)
      break
    case 'DealApproved':
      f.approvedDeals = f.approvedDeals + 1
      break
    case 'DealRejected':
    case 'DealWithdrawn':
    case 'DealLost':
    case 'DealExpired':
    case 'DealSuperseded':
      closeDeal(f, d.dealId)
      break
    case 'DealWon': {
      const wq = quarterOf(d.closedOn)
      const bucket = f.won[wq] ?? { revenue: 0, deals: 0 }
      const domain = f.openDeals[d.dealId]
      f.wonDeals = f.wonDeals + 1
      f.won = prune({ ...f.won, [wq]: { revenue: round2(bucket.revenue + d.value), deals: bucket.deals + 1 } }, q)
      if (domain) {
        closeDeal(f, d.dealId)
        f.customers = pruneValues(withEntry(f.customers, domain, wq > (f.customers[domain] ?? '') ? wq : f.customers[domain]!), q)
      }
      break
    }
    case 'CourseCompleted':
      f.completions = prune(add(f.completions, quarterOf(d.completedOn), 1), q)
      break
    case 'CertificationEarned':
      f.certifications = withEntry(f.certifications, `${d.courseId}:${d.userId}`, { name: d.certification, validUntil: d.validUntil })
      break
    case 'CertificationLapsed': {
      const key = `${d.courseId}:${d.userId}`
      if (!f.certifications[key]) break
      f.certifications = withoutEntry(f.certifications, key)
      f.certificationsLapsed = f.certificationsLapsed + 1
      break
    }
    case 'AssetViewed':
    case 'AssetDownloaded':
    case 'AssetCoBranded':
    case 'AssetShared': {
      const points = settings.scorecard.assetUse
      const weight = event.type === 'AssetViewed' ? points.viewed : event.type === 'AssetDownloaded' ? points.downloaded : event.type === 'AssetCoBranded' ? points.cobranded : points.shared
      f.assetUse = prune(add(f.assetUse, q, weight), q)
      break
    }
    case 'CoInvestmentRequested':
    case 'CoInvestmentResubmitted': {
      const prior = f.coInvestments[d.coInvestmentId]
      f.coInvestments = pruneCoInvestments(withCoInvestment(f.coInvestments, d.coInvestmentId, {
        kind: d.kind, quarter: d.quarter, partnerInvestment: d.partnerInvestment, approvedOn: prior?.approvedOn ?? null, inForce: false,
      }), q)
      break
    }
    case 'CoInvestmentApproved': {
      const prior = f.coInvestments[d.coInvestmentId]
      const expired = f.expiredAllocations.includes(d.quarter)
      f.coInvestApproved = prune(add(f.coInvestApproved, q, d.approvedAmount), q)
      f.coInvestments = withCoInvestment(f.coInvestments, d.coInvestmentId, {
        kind: prior?.kind ?? 'mdf', quarter: d.quarter, partnerInvestment: prior?.partnerInvestment ?? 0, approvedOn: day, inForce: !expired,
      })
      break
    }
    case 'CoInvestmentDeclined':
    case 'ClaimRejected':
    case 'ClaimWindowClosed': {
      const prior = f.coInvestments[d.coInvestmentId]
      if (prior) f.coInvestments = withCoInvestment(f.coInvestments, d.coInvestmentId, { ...prior, inForce: false })
      break
    }
    case 'ClaimPaid': {
      const prior = f.coInvestments[d.coInvestmentId]
      const pq = quarterOf(d.paidOn)
      f.coInvestPaid = prune(add(f.coInvestPaid, pq, d.amount), q)
      if (prior?.kind === 'cofunded_head') f.headsPaid = prune(add(f.headsPaid, pq, d.amount), q)
      break
    }
    case 'AllocationExpired': {
      const coInvestments = mapEntries(f.coInvestments, (c) => (c.quarter === d.quarter && c.inForce ? { ...c, inForce: false } : c))
      const expired = f.expiredAllocations.includes(d.quarter) ? f.expiredAllocations : [...f.expiredAllocations, d.quarter].sort().slice(-KEEP_QUARTERS)
      f.coInvestments = coInvestments
      f.expiredAllocations = expired
      break
    }
    case 'JointBusinessPlanCreated':
      f.plan = { createdOn: day, reviews: [] }
      break
    case 'PlanReviewed': {
      if (!f.plan) break
      const due = quarterEnd(d.quarter)
      const onTime = daysBetween(due, day) <= settings.journey.planReviewGraceDays
      const reviews = [...f.plan.reviews.filter((r) => r.quarter !== d.quarter), { quarter: d.quarter, on: day, status: d.status, onTime }]
      f.plan = { ...f.plan, reviews: reviews.slice(-KEEP_QUARTERS) }
      break
    }
    case 'WorkshopHeld':
      f.workshopsHeld = prune(add(f.workshopsHeld, quarterOf(d.heldOn), 1), q)
      break
    case 'WorkshopCancelled':
      if (d.cancelledBy === 'vendor') f.workshopsCancelledByVendor = f.workshopsCancelledByVendor + 1
      break
    case 'SurveyAnswered': {
      const scores = Object.values(d.scores)
      if (scores.length > 0) f.psat = { average: round2(scores.reduce((a, b) => a + b, 0) / scores.length), on: day }
      break
    }
  }
  return f
}

/**
 * `{ ...facts }` written out: the spread's inline cache sees the facts' hidden classes change while the first events
 * fill in fields (null to text), goes megamorphic for good and then copies in the runtime, about 1.5 us per event
 * (decision 030); a literal of the fixed fields costs a tenth of that. Same keys in the same order as emptyFacts.
 */
function copyFacts(s: PartnerFacts): PartnerFacts {
  return {
    partnerId: s.partnerId, company: s.company, partnerType: s.partnerType, tier: s.tier, status: s.status, appliedOn: s.appliedOn,
    approvedOn: s.approvedOn, geographies: s.geographies, segments: s.segments, channelManagerId: s.channelManagerId,
    approvedDeals: s.approvedDeals, wonDeals: s.wonDeals, won: s.won, customers: s.customers, openDeals: s.openDeals,
    certifications: s.certifications, certificationsLapsed: s.certificationsLapsed, completions: s.completions, assetUse: s.assetUse,
    coInvestments: s.coInvestments, coInvestApproved: s.coInvestApproved, coInvestPaid: s.coInvestPaid, headsPaid: s.headsPaid,
    expiredAllocations: s.expiredAllocations, plan: s.plan, workshopsHeld: s.workshopsHeld,
    workshopsCancelledByVendor: s.workshopsCancelledByVendor, psat: s.psat, trust: s.trust, trustPending: s.trustPending,
    lastActivityAt: s.lastActivityAt,
  }
}

/** forgets an open deal (in place: `f` is the copy evolveFacts is filling in) */
function closeDeal(f: PartnerFacts, dealId: string): void {
  if (!(dealId in f.openDeals)) return
  f.openDeals = withoutEntry(f.openDeals, dealId)
}

/** `withEntry` on the co-investments, with the new record's summary derived from the prior's (fact-reads.ts) */
function withCoInvestment(record: Record<string, CoInvestmentFact>, id: string, value: CoInvestmentFact): Record<string, CoInvestmentFact> {
  const next = withEntry(record, id, value)
  coInvestmentPut(record, next, id, value)
  return next
}

/** forgets co-investments of quarters older than KEEP_QUARTERS that are no longer in force (the summary says whether any are) */
function pruneCoInvestments(record: Record<string, CoInvestmentFact>, quarter: string): Record<string, CoInvestmentFact> {
  const oldest = shiftQuarter(quarter, -KEEP_QUARTERS)
  if (!hasCoInvestmentOutOfForceBefore(record, oldest)) return record
  return filterEntries(record, (c) => c.quarter >= oldest || c.inForce)
}

// facts read at a time live in fact-reads.ts; re-exported so readers keep one import
export { coInvestmentCountInForce, coInvestmentsInForce, hasSharedInvestmentSince, validCertificationCount, validCertificationKeys, validCertifications } from './fact-reads.ts'
