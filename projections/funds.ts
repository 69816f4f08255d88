// Co-investment read models: each request with its claim, and the ledger per partner and quarter.
import type { Projection, RecordedOf } from './projection.ts'

export type FundRequestStatus =
  | 'Requested' | 'Rejected' | 'Declined' | 'Approved' | 'ClaimSubmitted' | 'ClaimRejected' | 'ClaimApproved' | 'Paid' | 'ClaimWindowClosed'

export type EvidenceFile = { sha256: string; filename: string; size: number; contentType: string }

export type FundRequestHistoryItem = { at: string; type: string; actor: string; note: string | null }

export type FundRequestDoc = {
  coInvestmentId: string
  partnerId: string
  quarter: string
  kind: 'mdf' | 'coop' | 'cofunded_head'
  activity: string
  totalCost: number
  partnerInvestment: number
  amountRequested: number
  currency: string
  expectedPipeline: number
  status: FundRequestStatus
  requestedAt: string
  requestedBy: string
  /** when it last entered the vendor's request queue (request or resubmission) */
  waitingSince: string
  reason: string | null
  approvedAmount: number | null
  partial: boolean
  maxReimbursementPct: number | null
  claimDeadline: string | null
  decidedAt: string | null
  claim: {
    invoiceAmount: number
    evidence: EvidenceFile[]
    leadCount: number | null
    claimableAmount: number
    submittedAt: string
    approvedAmount: number | null
    rejectedReason: string | null
    paidOn: string | null
  } | null
  /** money held for it on the allocation stream (from FundsReserved/Released/Paid) */
  committed: number
  reservedAt: string | null
  paid: boolean
  history: FundRequestHistoryItem[]
  updatedAt: string
}

export type LedgerMovement = {
  at: string
  position: string
  type: string
  coInvestmentId: string | null
  activity: string | null
  /** the money the event is about (requested, approved, reserved, released, claimed, paid, expired) */
  amount: number | null
  /** change of the available amount caused by the movement (0 for informational events) */
  availableChange: number
  availableAfter: number
  note: string | null
  /** who caused it (a user id, or system:scheduler); movements folded before this field existed have none */
  actor?: string
}

type Stage = 'approved' | 'claimed' | 'paid'

export type LedgerDoc = {
  partnerId: string
  quarter: string
  currency: string
  status: 'Open' | 'Expired'
  allocated: number
  /** requests waiting for the vendor's decision */
  requested: number
  /** approved, not yet claimed */
  approved: number
  /** pending claims and approved claims not yet paid */
  claimed: number
  paid: number
  expired: number
  available: number
  commitments: Record<string, { amount: number; stage: Stage }>
  pending: Record<string, number>
  activities: Record<string, string>
  /** every movement, oldest first; stored as log rows (Projection.logs) */
  movements: LedgerMovement[]
  /** how many movements there are (the pages count without reading them) */
  movementCount: number
  updatedAt: string
}

export type FundsPartnerDoc = {
  partnerId: string
  tier: string | null
  /** when the partner was approved into the program */
  joinedAt?: string
  /** its tiers, oldest first, each from the instant it began (the tier allocation reads the one of a quarter's first day) */
  tiers?: { tier: string; from: string }[]
}

/** money is kept to the cent */
const round = (amount: number) => Math.round(amount * 100) / 100

const COINVEST_EVENTS = [
  'CoInvestmentRequested', 'CoInvestmentApproved', 'CoInvestmentRejected', 'CoInvestmentResubmitted', 'CoInvestmentDeclined',
  'ClaimSubmitted', 'ClaimApproved', 'ClaimRejected', 'ClaimPaid', 'ClaimWindowClosed',
] as const
const ALLOCATION_EVENTS = ['FundsAllocated', 'FundsReserved', 'FundsReleased', 'FundsPaid', 'AllocationExpired', 'FundsAllocatedByTier', 'AllocationAdjusted'] as const

type FundsEvent = RecordedOf<(typeof COINVEST_EVENTS)[number] | (typeof ALLOCATION_EVENTS)[number]>
type RequestEvent = RecordedOf<(typeof COINVEST_EVENTS)[number] | 'FundsReserved' | 'FundsReleased' | 'FundsPaid'>

const tierName = (tier: string) => tier.charAt(0).toUpperCase() + tier.slice(1)
// what amount.toLocaleString('en-GB', { maximumFractionDigits: 2 }) writes, with one formatter instead of one per call (~60 µs each)
const enGB = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 })
const m = (amount: number, currency: string) => `${currency} ${enGB.format(amount)}`

function historyNote(event: FundsEvent): string | null {
  const { type, data: d } = event
  switch (type) {
    case 'CoInvestmentRejected':
    case 'CoInvestmentDeclined':
    case 'ClaimRejected':
      return d.reason
    case 'CoInvestmentApproved':
      return `${m(d.approvedAmount, d.currency)}${d.partial ? ' (in part)' : ''}, up to ${d.maxReimbursementPct}% of the invoice, claim by ${d.claimDeadline}`
    case 'ClaimSubmitted':
      return `Invoice ${m(d.invoiceAmount, d.currency)}, ${d.evidence.length} file(s), claimable ${m(d.claimableAmount, d.currency)}`
    case 'ClaimApproved':
    case 'ClaimPaid':
      return m(d.amount, d.currency)
    case 'FundsReserved':
      return `${m(d.amount, d.currency)} reserved`
    case 'FundsReleased':
      return `${m(d.released, d.currency)} released (${String(d.reason).replaceAll('_', ' ')})`
    case 'FundsAllocatedByTier':
      return d.rule === 'full_quarter' || d.tierAmount === 0
        ? `${tierName(d.tier)} tier: ${m(d.tierAmount, d.currency)} a quarter`
        : `${tierName(d.tier)} tier: ${m(d.tierAmount, d.currency)} a quarter, pro rata for ${d.daysCovered} of ${d.daysInQuarter} days from joining on ${d.from}`
    case 'AllocationAdjusted':
      return `${m(d.from, d.currency)} → ${m(d.to, d.currency)}: ${d.reason}`
    default:
      return null
  }
}

/** One document per co-investment: the request, the vendor's decision, the claim and the money held for it. */
export const fundRequestsProjection: Projection<FundRequestDoc | null, RequestEvent> = {
  name: 'fund-requests',
  version: 1,
  handles: [...COINVEST_EVENTS, 'FundsReserved', 'FundsReleased', 'FundsPaid'],
  keysOf: (event) => [event.data.coInvestmentId],
  initialState: () => null,
  indexes: [
    // a partner's requests, and those in one status (the dashboard's claims due)
    `create index if not exists fund_requests_partner_status on read_models ((state->>'partnerId'), (state->>'status')) where projection = 'fund-requests'`,
    `drop index if exists fund_requests_partner`,
    `create index if not exists fund_requests_status on read_models ((state->>'status')) where projection = 'fund-requests'`,
  ],
  evolve(state, event) {
    const { type, data: d } = event
    const at = event.metadata.occurredAt
    const item: FundRequestHistoryItem = { at, type, actor: event.metadata.actor, note: historyNote(event) }
    if (type === 'CoInvestmentRequested') {
      return {
        coInvestmentId: d.coInvestmentId, partnerId: d.partnerId, quarter: d.quarter, kind: d.kind, activity: d.activity,
        totalCost: d.totalCost, partnerInvestment: d.partnerInvestment, amountRequested: d.amountRequested, currency: d.currency,
        expectedPipeline: d.expectedPipeline, status: 'Requested', requestedAt: at, requestedBy: event.metadata.actor, waitingSince: at,
        reason: null, approvedAmount: null, partial: false, maxReimbursementPct: null, claimDeadline: null, decidedAt: null, claim: null,
        committed: state?.committed ?? 0, reservedAt: state?.reservedAt ?? null, paid: state?.paid ?? false,
        history: [...(state?.history ?? []), item], updatedAt: at,
      }
    }
    if (!state) {
      // a reservation may be folded before its request: keep the money facts
      if (type === 'FundsReserved') {
        return { committed: d.amount, reservedAt: at, paid: false, history: [item] } as unknown as FundRequestDoc
      }
      return state
    }
    const next: FundRequestDoc = { ...state, history: [...state.history, item], updatedAt: at }
    switch (type) {
      case 'CoInvestmentResubmitted':
        return {
          ...next, status: 'Requested', kind: d.kind, activity: d.activity, totalCost: d.totalCost, partnerInvestment: d.partnerInvestment,
          amountRequested: d.amountRequested, currency: d.currency, expectedPipeline: d.expectedPipeline, waitingSince: at, reason: null,
        }
      case 'CoInvestmentApproved':
        return { ...next, status: 'Approved', approvedAmount: d.approvedAmount, partial: d.partial, maxReimbursementPct: d.maxReimbursementPct, claimDeadline: d.claimDeadline, decidedAt: at, reason: null }
      case 'CoInvestmentRejected':
        return { ...next, status: 'Rejected', reason: d.reason, decidedAt: at }
      case 'CoInvestmentDeclined':
        return { ...next, status: 'Declined', reason: d.reason, decidedAt: at }
      case 'ClaimSubmitted':
        return {
          ...next, status: 'ClaimSubmitted', waitingSince: at,
          claim: { invoiceAmount: d.invoiceAmount, evidence: d.evidence, leadCount: d.leadCount, claimableAmount: d.claimableAmount, submittedAt: at, approvedAmount: null, rejectedReason: null, paidOn: null },
        }
      case 'ClaimApproved':
        return { ...next, status: 'ClaimApproved', claim: next.claim ? { ...next.claim, approvedAmount: d.amount } : null }
      case 'ClaimRejected':
        return { ...next, status: 'ClaimRejected', claim: next.claim ? { ...next.claim, rejectedReason: d.reason } : null }
      case 'ClaimPaid':
        return { ...next, status: 'Paid', claim: next.claim ? { ...next.claim, paidOn: d.paidOn } : null }
      case 'ClaimWindowClosed':
        return { ...next, status: 'ClaimWindowClosed' }
      case 'FundsReserved':
        return { ...next, committed: d.amount, reservedAt: at }
      case 'FundsReleased':
        return { ...next, committed: d.stillCommitted }
      case 'FundsPaid':
        return { ...next, committed: d.amount, paid: true }
      default:
        return state
    }
  },
}

export const ledgerKey = (partnerId: string, quarter: string) => `${partnerId}:${quarter}`

function figures(doc: LedgerDoc): LedgerDoc {
  let approved = 0
  let claimed = 0
  let paid = 0
  for (const c of Object.values(doc.commitments)) {
    if (c.stage === 'paid') paid += c.amount
    else if (c.stage === 'claimed') claimed += c.amount
    else approved += c.amount
  }
  const requested = Object.values(doc.pending).reduce((sum, amount) => sum + amount, 0)
  const committed = approved + claimed + paid
  return {
    ...doc,
    requested: round(requested),
    approved: round(approved),
    claimed: round(claimed),
    paid: round(paid),
    available: doc.status === 'Expired' ? 0 : round(doc.allocated - committed),
  }
}

const emptyLedger = (partnerId: string, quarter: string, currency: string): LedgerDoc => ({
  partnerId, quarter, currency, status: 'Open', allocated: 0, requested: 0, approved: 0, claimed: 0, paid: 0, expired: 0, available: 0,
  commitments: {}, pending: {}, activities: {}, movements: [], movementCount: 0, updatedAt: '',
})

/** The co-investment ledger per partner and quarter: the figures and every movement behind them. */
export const fundLedgersProjection: Projection<LedgerDoc | null, FundsEvent> = {
  name: 'fund-ledgers',
  version: 3,
  handles: [...ALLOCATION_EVENTS, ...COINVEST_EVENTS],
  logs: ['movements'],
  keysOf: (event) => {
    const d = event.data
    return 'quarter' in d && d.partnerId && d.quarter ? [ledgerKey(d.partnerId, d.quarter)] : []
  },
  initialState: () => null,
  indexes: [`create index if not exists fund_ledgers_partner on read_models ((state->>'partnerId')) where projection = 'fund-ledgers'`],
  evolve(state, event) {
    const { type, data: d } = event
    const at = event.metadata.occurredAt
    // keysOf keeps only events with a quarter
    const base = state ?? emptyLedger(d.partnerId, 'quarter' in d ? d.quarter : '', ('currency' in d ? d.currency : undefined) ?? 'EUR')
    let doc: LedgerDoc = { ...base, updatedAt: at }
    // the id-keyed records are copied only by the events that change them (a spread of one is the runtime's slow path:
    // their keys are ids, decision 030), and then once; the others keep the prior's (immutable) record
    const copied = { commitments: false, pending: false, activities: false }
    const own = <K extends keyof typeof copied>(field: K): LedgerDoc[K] => {
      if (!copied[field]) {
        doc[field] = { ...doc[field] }
        copied[field] = true
      }
      return doc[field]
    }
    const id: string | null = ('coInvestmentId' in d ? d.coInvestmentId : undefined) ?? null
    let amount: number | null = null
    const stage = (s: Stage) => {
      if (id && doc.commitments[id]) own('commitments')[id] = { ...doc.commitments[id]!, stage: s }
    }
    switch (type) {
      case 'FundsAllocated':
        doc.allocated = d.totalAllocated
        doc.currency = d.currency
        amount = d.amount
        break
      case 'FundsAllocatedByTier':
        doc.allocated = d.amount
        doc.currency = d.currency
        amount = d.amount
        break
      case 'AllocationAdjusted':
        doc.allocated = d.to
        amount = round(d.to - d.from)
        break
      case 'FundsReserved':
        own('commitments')[id!] = { amount: d.amount, stage: doc.commitments[id!]?.stage ?? 'approved' }
        amount = d.amount
        break
      case 'FundsReleased': {
        const current = doc.commitments[id!]
        own('commitments')[id!] = { amount: d.stillCommitted, stage: current?.stage ?? 'approved' }
        // money released after the quarter ended lapses with it
        if (doc.status === 'Expired') doc.expired = round(doc.expired + d.released)
        amount = d.released
        break
      }
      case 'FundsPaid':
        own('commitments')[id!] = { amount: d.amount, stage: 'paid' }
        amount = d.amount
        break
      case 'AllocationExpired':
        doc.status = 'Expired'
        doc.expired = round(doc.expired + d.unused)
        amount = d.unused
        break
      case 'CoInvestmentRequested':
      case 'CoInvestmentResubmitted':
        own('pending')[id!] = d.amountRequested
        own('activities')[id!] = d.activity
        amount = d.amountRequested
        break
      case 'CoInvestmentApproved':
        delete own('pending')[id!]
        stage('approved')
        amount = d.approvedAmount
        break
      case 'CoInvestmentRejected':
      case 'CoInvestmentDeclined':
        delete own('pending')[id!]
        break
      case 'ClaimSubmitted':
        stage('claimed')
        amount = d.claimableAmount
        break
      case 'ClaimApproved':
        stage('claimed')
        amount = d.amount
        break
      case 'ClaimRejected':
        stage('approved')
        break
      case 'ClaimPaid':
        amount = d.amount
        break
      case 'ClaimWindowClosed':
        amount = d.releasedAmount
        break
      default:
        return state
    }
    const before = base.available
    doc = figures(doc)
    const movement: LedgerMovement = {
      at, position: String(event.globalPosition), type, coInvestmentId: id, activity: id ? doc.activities[id] ?? null : null,
      amount, availableChange: round(doc.available - before), availableAfter: doc.available, note: historyNote(event), actor: event.metadata.actor,
    }
    doc.movements = [...doc.movements, movement]
    doc.movementCount = (base.movementCount ?? 0) + 1
    return doc
  },
}

/** The partner's tier and its history (for the tier allocations) and the program settings' history, read by the funds pages. */
export type FundSettingsDoc = { changes: { effectiveFrom: string; settings: unknown }[] }
export const fundSettingsProjection: Projection<FundsPartnerDoc | FundSettingsDoc | null, RecordedOf<'PartnerApproved' | 'TierChanged' | 'ProgramSettingsChanged'>> = {
  name: 'fund-settings',
  version: 2,
  handles: ['PartnerApproved', 'TierChanged', 'ProgramSettingsChanged'],
  keysOf: (event) => (event.type === 'ProgramSettingsChanged' ? ['settings'] : [`partner:${event.data.partnerId}`]),
  initialState: () => null,
  evolve(state, event) {
    const { type, data: d } = event
    switch (type) {
      case 'PartnerApproved':
        return { partnerId: d.partnerId, tier: d.tier, joinedAt: event.metadata.occurredAt, tiers: [{ tier: d.tier, from: event.metadata.occurredAt }] }
      case 'TierChanged': {
        const before = state as FundsPartnerDoc | null
        return { ...before, partnerId: d.partnerId, tier: d.to, tiers: [...(before?.tiers ?? []), { tier: d.to, from: event.metadata.occurredAt }] }
      }
      case 'ProgramSettingsChanged': {
        const changes = (state as FundSettingsDoc | null)?.changes ?? []
        return { changes: [...changes, { effectiveFrom: d.effectiveFrom, settings: d.settings }] }
      }
      default:
        return state
    }
  },
}

export const fundsProjections = [fundRequestsProjection, fundLedgersProjection, fundSettingsProjection]
