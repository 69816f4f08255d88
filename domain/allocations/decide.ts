// Allocation rules: one function per command, and `decide` dispatching on the command type.
import { z } from 'zod'
import { requirePartnerOrVendor, requireVendor } from '../shared/auth.ts'
import type { Command, Decider } from '../shared/command.ts'
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { Currency, Instant, parseData, Quarter } from '../shared/schemas.ts'
import { MAX, money as moneyField, moneyOrZero, multiLine, ref, singleLine } from '../shared/fields.ts'
import { dateOf, quarterEnd } from '../shared/time.ts'
import {
  available,
  evolve,
  initialState,
  ReleaseReason,
  round,
  type Allocation,
  type AllocationEvent,
  type AllocationAdjusted,
  type AllocationExpired,
  type FundsAllocatedByTier,
  type FundsAllocated,
  type FundsPaid,
  type FundsReleased,
  type FundsReserved,
} from './allocation.ts'
import { tierAllocation } from './tier-allocation.ts'

const ids = { partnerId: ref(), quarter: Quarter }
export const AllocateFundsData = z.object({ ...ids, amount: moneyField(), currency: Currency })
export const ReserveFundsData = z.object({ ...ids, coInvestmentId: ref(), amount: moneyField() })
/** lowers a co-investment's commitment to `keep` (0 releases it all) */
export const ReleaseFundsData = z.object({ ...ids, coInvestmentId: ref(), keep: moneyOrZero(), reason: ReleaseReason })
export const RecordFundsPaidData = z.object({ ...ids, coInvestmentId: ref(), amount: moneyField() })
export const ExpireAllocationData = z.object({ ...ids })
/** scheduler: the facts (tier, its amount in the settings in force, when the partner joined) are handed in */
export const AllocateFromTierData = z.object({
  ...ids,
  tier: singleLine(60),
  tierAmount: moneyOrZero(),
  currency: Currency,
  joinedAt: Instant.describe('when the partner was approved into the program'),
})
export const ADJUST_REASON = 'Say why the allocation changes'
/** vendor: the quarter's allocation becomes `amount` */
export const AdjustAllocationData = z.object({ ...ids, amount: moneyOrZero(), reason: multiLine(MAX.shortText, ADJUST_REASON) })

export const allocationCommandSchemas = {
  AllocateFunds: AllocateFundsData,
  ReserveFunds: ReserveFundsData,
  ReleaseFunds: ReleaseFundsData,
  RecordFundsPaid: RecordFundsPaidData,
  ExpireAllocation: ExpireAllocationData,
  AllocateFromTier: AllocateFromTierData,
  AdjustAllocation: AdjustAllocationData,
} as const

export type AllocateFunds = Command<'AllocateFunds', z.input<typeof AllocateFundsData>>
export type ReserveFunds = Command<'ReserveFunds', z.input<typeof ReserveFundsData>>
export type ReleaseFunds = Command<'ReleaseFunds', z.input<typeof ReleaseFundsData>>
export type RecordFundsPaid = Command<'RecordFundsPaid', z.input<typeof RecordFundsPaidData>>
export type ExpireAllocation = Command<'ExpireAllocation', z.input<typeof ExpireAllocationData>>
export type AllocateFromTier = Command<'AllocateFromTier', z.input<typeof AllocateFromTierData>>
export type AdjustAllocation = Command<'AdjustAllocation', z.input<typeof AdjustAllocationData>>
export type AllocationCommand = AllocateFunds | ReserveFunds | ReleaseFunds | RecordFundsPaid | ExpireAllocation | AllocateFromTier | AdjustAllocation
export type AllocationCommandType = AllocationCommand['type']

type Existing = Exclude<Allocation, { status: 'Initial' }>
function existing(state: Allocation, partnerId: string, quarter: string): Existing {
  if (state.status === 'Initial') throw new NotFoundError(`Partner ${partnerId} has no fund allocation for ${quarter}`)
  return state
}
const money = (amount: number, currency: string) => `${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`

export function allocateFunds(command: AllocateFunds, state: Allocation): FundsAllocated {
  const data = parseData(AllocateFundsData, command.data)
  requireVendor(command.metadata.actor, 'allocate funds')
  if (state.status === 'Expired') throw new IllegalStateError(`The ${data.quarter} allocation has expired; allocate to a later quarter`)
  if (state.status === 'Open' && state.currency !== data.currency)
    throw new ValidationError(`The ${data.quarter} allocation is in ${state.currency}; top it up in ${state.currency}`, 'currency')
  const before = state.status === 'Open' ? state.allocated : 0
  return { type: 'FundsAllocated', data: { ...data, totalAllocated: round(before + data.amount) } }
}

export function reserveFunds(command: ReserveFunds, state: Allocation): FundsReserved[] {
  const data = parseData(ReserveFundsData, command.data)
  requireVendor(command.metadata.actor, 'reserve funds')
  const allocation = existing(state, data.partnerId, data.quarter)
  if (allocation.status === 'Expired') throw new IllegalStateError(`The ${data.quarter} allocation has expired; no more funds can be reserved from it`)
  const current = allocation.commitments[data.coInvestmentId]
  if (current?.amount === data.amount) return [] // a retried approval
  if (current) throw new IllegalStateError(`Co-investment ${data.coInvestmentId} already has ${money(current.amount, allocation.currency)} reserved`)
  const free = available(allocation)
  if (data.amount > free)
    throw new IllegalStateError(
      `Only ${money(free, allocation.currency)} of the ${data.quarter} allocation is available; ${money(data.amount, allocation.currency)} cannot be reserved`,
    )
  return [{ type: 'FundsReserved', data: { ...data, currency: allocation.currency, availableAfter: round(free - data.amount) } }]
}

export function releaseFunds(command: ReleaseFunds, state: Allocation): FundsReleased[] {
  const data = parseData(ReleaseFundsData, command.data)
  requirePartnerOrVendor(command.metadata.actor, data.partnerId, 'release funds')
  const allocation = existing(state, data.partnerId, data.quarter)
  const current = allocation.commitments[data.coInvestmentId]
  if (!current) throw new NotFoundError(`No funds are reserved for co-investment ${data.coInvestmentId} in ${data.quarter}`)
  if (current.paid) throw new IllegalStateError(`Co-investment ${data.coInvestmentId} is paid; its funds can no longer be released`)
  if (data.keep > current.amount)
    throw new ValidationError(`Only ${money(current.amount, allocation.currency)} is reserved; a release cannot raise it to ${money(data.keep, allocation.currency)}`, 'keep')
  if (data.keep === current.amount) return []
  return [
    {
      type: 'FundsReleased',
      data: {
        partnerId: data.partnerId,
        quarter: data.quarter,
        coInvestmentId: data.coInvestmentId,
        released: round(current.amount - data.keep),
        stillCommitted: data.keep,
        currency: allocation.currency,
        reason: data.reason,
      },
    },
  ]
}

export function recordFundsPaid(command: RecordFundsPaid, state: Allocation): FundsPaid[] {
  const data = parseData(RecordFundsPaidData, command.data)
  requireVendor(command.metadata.actor, 'record payments')
  const allocation = existing(state, data.partnerId, data.quarter)
  const current = allocation.commitments[data.coInvestmentId]
  if (!current) throw new NotFoundError(`No funds are reserved for co-investment ${data.coInvestmentId} in ${data.quarter}`)
  if (current.paid) return current.amount === data.amount ? [] : throwIllegal(`Co-investment ${data.coInvestmentId} is already paid`)
  if (data.amount !== current.amount)
    throw new ValidationError(`${money(current.amount, allocation.currency)} is committed to this claim; release the difference before paying ${money(data.amount, allocation.currency)}`, 'amount')
  return [{ type: 'FundsPaid', data: { ...data, currency: allocation.currency } }]
}
function throwIllegal(message: string): never {
  throw new IllegalStateError(message)
}

/** scheduler: after the quarter's last day the unused funds lapse; a retry is a no-op */
export function expireAllocation(command: ExpireAllocation, state: Allocation): AllocationExpired[] {
  const data = parseData(ExpireAllocationData, command.data)
  requireVendor(command.metadata.actor, 'expire allocations')
  const allocation = existing(state, data.partnerId, data.quarter)
  if (allocation.status === 'Expired') return []
  const end = quarterEnd(data.quarter)
  if (dateOf(command.metadata.now) <= end) throw new IllegalStateError(`The ${data.quarter} allocation runs until ${end}; it cannot expire yet`)
  return [{ type: 'AllocationExpired', data: { ...data, unused: available(allocation), currency: allocation.currency, quarterEnd: end } }]
}

/** scheduler: one tier allocation per partner and quarter; a quarter already allocated (by any means) is left as it is */
export function allocateFromTier(command: AllocateFromTier, state: Allocation): FundsAllocatedByTier[] {
  const data = parseData(AllocateFromTierData, command.data)
  requireVendor(command.metadata.actor, 'allocate funds')
  if (state.status !== 'Initial') return []
  const worked = tierAllocation(data.quarter, data.tierAmount, data.joinedAt)
  if (!worked) throw new IllegalStateError(`The partner joined after ${data.quarter}; it has no allocation for it`)
  const { joinedAt: _joined, ...rest } = data
  return [{ type: 'FundsAllocatedByTier', data: { ...rest, ...worked } }]
}

/** vendor: sets the quarter's allocation, with a reason; never below what approvals have committed */
export function adjustAllocation(command: AdjustAllocation, state: Allocation): AllocationAdjusted {
  const data = parseData(AdjustAllocationData, command.data)
  requireVendor(command.metadata.actor, 'change allocations')
  if (state.status === 'Initial')
    throw new NotFoundError(`Partner ${data.partnerId} has no allocation for ${data.quarter} yet; it is made from its tier when the quarter starts`)
  if (state.status === 'Expired') throw new IllegalStateError(`The ${data.quarter} allocation has expired; it can no longer change`)
  const committed = round(state.allocated - available(state))
  if (data.amount < committed)
    throw new ValidationError(`${money(committed, state.currency)} of the ${data.quarter} allocation is committed to approved requests; set at least that`, 'amount')
  if (data.amount === state.allocated) throw new ValidationError(`The ${data.quarter} allocation already is ${money(data.amount, state.currency)}`, 'amount')
  return { type: 'AllocationAdjusted', data: { partnerId: data.partnerId, quarter: data.quarter, from: state.allocated, to: data.amount, currency: state.currency, reason: data.reason } }
}

export function decide(command: AllocationCommand, state: Allocation): AllocationEvent | AllocationEvent[] {
  switch (command.type) {
    case 'AllocateFunds':
      return allocateFunds(command, state)
    case 'ReserveFunds':
      return reserveFunds(command, state)
    case 'ReleaseFunds':
      return releaseFunds(command, state)
    case 'RecordFundsPaid':
      return recordFundsPaid(command, state)
    case 'ExpireAllocation':
      return expireAllocation(command, state)
    case 'AllocateFromTier':
      return allocateFromTier(command, state)
    case 'AdjustAllocation':
      return adjustAllocation(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const AllocationDecider: Decider<AllocationCommand, AllocationEvent, Allocation> = { initialState, evolve, decide }
