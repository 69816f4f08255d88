// Deal registrations as partners and the vendor's queue see them: status, conflict, protection and review SLA.
import type { DealItem } from '../domain/deals/deal.ts'
import type { Projection, RecordedOf } from './projection.ts'

export type DealStatus = 'Submitted' | 'Approved' | 'Rejected' | 'Withdrawn' | 'Won' | 'Lost' | 'Expired' | 'Superseded'

/** how the vendor settled a conflict this registration won: the registrations it superseded, and why */
export type ConflictWon = {
  decidedAt: string
  superseded: { dealId: string; partnerId: string; registeredAt: string; wasApproved: boolean; earlier: boolean }[]
  overridden: string[]
  directAccount: string | null
  reason: string | null
}
/** how the vendor settled a conflict this registration lost: the registration approved instead */
export type ConflictLost = {
  decidedAt: string
  byDealId: string
  byPartnerId: string
  byRegisteredAt: string
  protectionEndedOn: string | null
  reason: string | null
}

export type DealDoc = {
  dealId: string
  partnerId: string
  customerName: string
  customerDomain: string
  value: number
  currency: string
  expectedCloseDate: string
  /** what the deal sells; sku null on registrations made before items existed (upcast from version 1) */
  items: DealItem[]
  status: DealStatus
  conflict: { dealIds: string[]; directAccount: boolean; earliest: boolean } | null
  /** other partners' registrations this one conflicts with, earlier or later (both sides link each other) */
  rivalIds: string[]
  /** set when this registration was approved over others (or a direct account) */
  conflictWon: ConflictWon | null
  /** set when another partner's registration was approved instead of this one */
  conflictLost: ConflictLost | null
  registeredAt: string
  registeredBy: string
  reviewDueAt: string
  slaBreached: boolean
  reviewedAt: string | null
  reviewedBy: string | null
  withinSla: boolean | null
  reason: string | null
  protectedUntil: string | null
  extended: boolean
  closedOn: string | null
  updatedAt: string
}

type DealEvent = RecordedOf<
  | 'DealRegistered' | 'DealApproved' | 'DealRejected' | 'DealWithdrawn' | 'DealExtended' | 'DealWon' | 'DealLost' | 'DealExpired' | 'DealReviewSlaBreached'
  | 'DealConflictDecided' | 'DealSuperseded'
>

const withRivals = (doc: DealDoc, ids: readonly string[]): DealDoc => {
  const rivalIds = [...new Set([...(doc.rivalIds ?? []), ...ids])].filter((id) => id !== doc.dealId)
  return rivalIds.length === (doc.rivalIds ?? []).length ? doc : { ...doc, rivalIds }
}

export const dealsProjection: Projection<DealDoc | null, DealEvent> = {
  name: 'deals',
  version: 4,
  handles: [
    'DealRegistered', 'DealApproved', 'DealRejected', 'DealWithdrawn', 'DealExtended', 'DealWon', 'DealLost',
    'DealExpired', 'DealReviewSlaBreached', 'DealConflictDecided', 'DealSuperseded',
  ],
  // a registration that conflicts also links the earlier registrations to it, so both pages name their rival
  keysOf: (event) => (event.type === 'DealRegistered' ? [event.data.dealId, ...(event.data.conflict?.dealIds ?? [])] : [event.data.dealId]),
  indexes: [
    // the vendor's queue and the scheduler's due deals ask by status
    `create index if not exists deals_status on read_models ((state->>'status')) where projection = 'deals'`,
    // a partner's newest deals (the dashboard's five) without sorting all of them
    // approvals that settled a conflict: the scheduler finishes their supersessions
    `create index if not exists deals_conflict_won on read_models (key) where projection = 'deals' and state->'conflictWon' <> 'null'::jsonb`,
    `create index if not exists deals_partner_registered on read_models ((state->>'partnerId'), (state->>'registeredAt')) where projection = 'deals'`,
  ],
  initialState: () => null,
  evolve(state, event) {
    const at = event.metadata.occurredAt
    if (event.type === 'DealRegistered') {
      const { data } = event
      // an earlier registration this one conflicts with (its document exists: it was registered before)
      if (state && state.dealId !== data.dealId) return withRivals({ ...state }, [data.dealId])
      return {
        dealId: data.dealId, partnerId: data.partnerId, customerName: data.customerName, customerDomain: data.customerDomain,
        value: data.value, currency: data.currency, expectedCloseDate: data.expectedCloseDate, items: data.items,
        status: 'Submitted', conflict: data.conflict ?? null, rivalIds: data.conflict?.dealIds ?? [], conflictWon: null, conflictLost: null, registeredAt: at, registeredBy: event.metadata.actor,
        reviewDueAt: data.reviewDueAt, slaBreached: false, reviewedAt: null, reviewedBy: null, withinSla: null,
        reason: null, protectedUntil: null, extended: false, closedOn: null, updatedAt: at,
      }
    }
    if (!state) return state
    const next = { ...state, updatedAt: at }
    switch (event.type) {
      case 'DealApproved':
        return { ...next, status: 'Approved', protectedUntil: event.data.protectedUntil, reviewedAt: at, reviewedBy: event.metadata.actor, withinSla: event.data.withinSla }
      case 'DealRejected':
        return { ...next, status: 'Rejected', reason: event.data.reason, reviewedAt: at, reviewedBy: event.metadata.actor, withinSla: event.data.withinSla }
      case 'DealWithdrawn':
        return { ...next, status: 'Withdrawn' }
      case 'DealExtended':
        return { ...next, protectedUntil: event.data.protectedUntil, extended: true }
      case 'DealWon':
        return { ...next, status: 'Won', value: event.data.value ?? state.value, closedOn: event.data.closedOn ?? at.slice(0, 10) }
      case 'DealLost':
        return { ...next, status: 'Lost', reason: event.data.reason, closedOn: at.slice(0, 10) }
      case 'DealExpired':
        return { ...next, status: 'Expired' }
      case 'DealReviewSlaBreached':
        return { ...next, slaBreached: true }
      case 'DealConflictDecided': {
        const { superseded, overridden, directAccount, reason } = event.data
        return withRivals({ ...next, conflictWon: { decidedAt: at, superseded, overridden, directAccount, reason } }, superseded.map((d) => d.dealId))
      }
      case 'DealSuperseded': {
        const { byDealId, byPartnerId, byRegisteredAt, protectionEndedOn, reason } = event.data
        return withRivals({ ...next, status: 'Superseded', conflictLost: { decidedAt: at, byDealId, byPartnerId, byRegisteredAt, protectionEndedOn, reason } }, [byDealId])
      }
      default:
        return state
    }
  },
}
