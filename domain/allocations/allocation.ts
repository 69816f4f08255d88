// A partner's quarterly fund allocation: approvals reserve money here with the expected revision, so two racing
// approvals cannot overspend it. Invariant: allocated - committed >= 0 (one commitment per co-investment).
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Currency, Id, IsoDate, NonNegativeAmount, PositiveAmount, Quarter, Text } from '../shared/schemas.ts'

export const streamId = (partnerId: string, quarter: string) => `allocation-${partnerId}-${quarter}`

const ids = { partnerId: Id, quarter: Quarter }
export const ReleaseReason = z.enum(['claim_submitted', 'claim_approved', 'claim_rejected', 'claim_deadline_passed', 'declined'])

export const FundsAllocatedData = z.object({ ...ids, amount: PositiveAmount, currency: Currency, totalAllocated: PositiveAmount })
export const FundsReservedData = z.object({
  ...ids,
  coInvestmentId: Id,
  amount: PositiveAmount,
  currency: Currency,
  availableAfter: NonNegativeAmount.describe('what is left to reserve afterwards'),
})
export const FundsReleasedData = z.object({
  ...ids,
  coInvestmentId: Id,
  released: PositiveAmount.describe('returned to the available funds'),
  stillCommitted: NonNegativeAmount,
  currency: Currency,
  reason: ReleaseReason,
})
export const FundsPaidData = z.object({ ...ids, coInvestmentId: Id, amount: PositiveAmount, currency: Currency })
export const AllocationExpiredData = z.object({ ...ids, unused: NonNegativeAmount, currency: Currency, quarterEnd: IsoDate })
/** how a tier allocation was worked out (docs/decisions/017) */
export const TierAllocationRule = z.enum(['full_quarter', 'pro_rata_from_joining'])
export type TierAllocationRule = z.infer<typeof TierAllocationRule>
const Days = z.number().int().min(1).max(92)
export const FundsAllocatedByTierData = z.object({
  ...ids,
  tier: Text.describe('the tier the partner held on the first day the allocation covers'),
  amount: NonNegativeAmount.describe('what the quarter allocates (0 when the tier gives nothing)'),
  currency: Currency,
  rule: TierAllocationRule.describe('full_quarter: the tier amount; pro_rata_from_joining: the days left of the quarter after joining'),
  tierAmount: NonNegativeAmount.describe("the tier's allocation per quarter in the program settings in force on `from`"),
  from: IsoDate.describe('first day the allocation covers: the quarter start, or the day the partner joined'),
  daysCovered: Days.describe('days from `from` to the quarter end, both included'),
  daysInQuarter: Days,
}).describe("The scheduler allocated a partner's quarterly funds from its tier (once per partner and quarter).")
export const AllocationAdjustedData = z.object({
  ...ids,
  from: NonNegativeAmount.describe('the allocation before'),
  to: NonNegativeAmount.describe('the allocation after; never below what is committed'),
  currency: Currency,
  reason: Text.describe("the vendor's reason, shown in the ledger"),
}).describe("The vendor changed a partner's allocation for a quarter, saying why.")

export const allocationEventSchemas = {
  FundsAllocated: FundsAllocatedData,
  FundsReserved: FundsReservedData,
  FundsReleased: FundsReleasedData,
  FundsPaid: FundsPaidData,
  AllocationExpired: AllocationExpiredData,
  FundsAllocatedByTier: FundsAllocatedByTierData,
  AllocationAdjusted: AllocationAdjustedData,
} as const

export type FundsAllocated = DomainEvent<'FundsAllocated', z.infer<typeof FundsAllocatedData>>
export type FundsReserved = DomainEvent<'FundsReserved', z.infer<typeof FundsReservedData>>
export type FundsReleased = DomainEvent<'FundsReleased', z.infer<typeof FundsReleasedData>>
export type FundsPaid = DomainEvent<'FundsPaid', z.infer<typeof FundsPaidData>>
export type AllocationExpired = DomainEvent<'AllocationExpired', z.infer<typeof AllocationExpiredData>>
export type FundsAllocatedByTier = DomainEvent<'FundsAllocatedByTier', z.infer<typeof FundsAllocatedByTierData>>
export type AllocationAdjusted = DomainEvent<'AllocationAdjusted', z.infer<typeof AllocationAdjustedData>>
export type AllocationEvent = FundsAllocated | FundsReserved | FundsReleased | FundsPaid | AllocationExpired | FundsAllocatedByTier | AllocationAdjusted
export type AllocationEventType = AllocationEvent['type']

export type Commitment = { amount: number; paid: boolean }
type Facts = { partnerId: string; quarter: string; currency: string; allocated: number; commitments: Record<string, Commitment> }
export type Allocation = { status: 'Initial' } | ({ status: 'Open' | 'Expired' } & Facts)

export const initialState = (): Allocation => ({ status: 'Initial' })

/** what can still be reserved */
export function available(state: Allocation): number {
  if (state.status === 'Initial') return 0
  const committed = Object.values(state.commitments).reduce((sum, c) => sum + c.amount, 0)
  return round(state.allocated - committed)
}
/** money is kept to the cent */
export const round = (amount: number) => Math.round(amount * 100) / 100

export function evolve(state: Allocation, event: AllocationEvent): Allocation {
  switch (event.type) {
    case 'FundsAllocated':
      return state.status === 'Initial'
        ? { status: 'Open', partnerId: event.data.partnerId, quarter: event.data.quarter, currency: event.data.currency, allocated: event.data.totalAllocated, commitments: {} }
        : { ...state, allocated: event.data.totalAllocated }
    case 'FundsAllocatedByTier':
      return state.status === 'Initial'
        ? { status: 'Open', partnerId: event.data.partnerId, quarter: event.data.quarter, currency: event.data.currency, allocated: event.data.amount, commitments: {} }
        : state
    case 'AllocationAdjusted':
      return state.status === 'Initial' ? state : { ...state, allocated: event.data.to }
    case 'FundsReserved':
      return state.status === 'Initial' ? state : { ...state, commitments: { ...state.commitments, [event.data.coInvestmentId]: { amount: event.data.amount, paid: false } } }
    case 'FundsReleased':
      return state.status === 'Initial' ? state : { ...state, commitments: { ...state.commitments, [event.data.coInvestmentId]: { amount: event.data.stillCommitted, paid: false } } }
    case 'FundsPaid':
      return state.status === 'Initial' ? state : { ...state, commitments: { ...state.commitments, [event.data.coInvestmentId]: { amount: event.data.amount, paid: true } } }
    case 'AllocationExpired':
      return state.status === 'Open' ? { ...state, status: 'Expired' } : state
    default:
      return state
  }
}
