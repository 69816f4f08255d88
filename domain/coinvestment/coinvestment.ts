// Co-investment (MDF, co-op): request, approval, claim with evidence, payment. The money itself is reserved and
// released on the partner's allocation stream (domain/allocations).
import { z } from 'zod'
import type { DomainEvent } from '../shared/command.ts'
import { Currency, FileRef, Id, IsoDate, NonNegativeAmount, PositiveAmount, Quarter, Text } from '../shared/schemas.ts'

export const streamId = (coInvestmentId: string) => `coinvest-${coInvestmentId}`

export const CoInvestmentKind = z.enum(['mdf', 'coop', 'cofunded_head'])
const ids = { coInvestmentId: Id, partnerId: Id, quarter: Quarter.describe('the allocation the money comes from') }
export const Proposal = z.object({
  kind: CoInvestmentKind,
  activity: Text.describe('what the money is for'),
  totalCost: PositiveAmount,
  partnerInvestment: NonNegativeAmount.describe('what the partner pays itself'),
  amountRequested: PositiveAmount,
  currency: Currency,
  expectedPipeline: NonNegativeAmount.describe('pipeline the activity should create, in currency'),
})

export const CoInvestmentRequestedData = z.object({ ...ids, ...Proposal.shape })
export const CoInvestmentApprovedData = z.object({
  ...ids,
  approvedAmount: PositiveAmount,
  partial: z.boolean().describe('less than requested was approved'),
  maxReimbursementPct: z.number().gt(0).max(100).describe('share of the invoice reimbursed at most'),
  claimDeadline: IsoDate.describe('last day to submit the claim'),
  currency: Currency,
})
export const CoInvestmentRejectedData = z.object({ ...ids, reason: Text })
export const CoInvestmentResubmittedData = z.object({ ...ids, ...Proposal.shape })
export const CoInvestmentDeclinedData = z.object({ ...ids, reason: Text })
export const ClaimSubmittedData = z.object({
  ...ids,
  invoiceAmount: PositiveAmount,
  evidence: z.array(FileRef).min(1),
  leadCount: z.number().int().nonnegative().nullable(),
  claimableAmount: PositiveAmount.describe('min(approved amount, invoice x max reimbursement %)'),
  currency: Currency,
})
export const ClaimApprovedData = z.object({ ...ids, amount: PositiveAmount, currency: Currency })
export const ClaimRejectedData = z.object({ ...ids, reason: Text })
export const ClaimPaidData = z.object({ ...ids, amount: PositiveAmount, currency: Currency, paidOn: IsoDate })
export const ClaimWindowClosedData = z.object({
  ...ids,
  claimDeadline: IsoDate,
  releasedAmount: NonNegativeAmount.describe('approved money returned to the allocation'),
  currency: Currency,
})

export const coInvestmentEventSchemas = {
  CoInvestmentRequested: CoInvestmentRequestedData,
  CoInvestmentApproved: CoInvestmentApprovedData,
  CoInvestmentRejected: CoInvestmentRejectedData,
  CoInvestmentResubmitted: CoInvestmentResubmittedData,
  CoInvestmentDeclined: CoInvestmentDeclinedData,
  ClaimSubmitted: ClaimSubmittedData,
  ClaimApproved: ClaimApprovedData,
  ClaimRejected: ClaimRejectedData,
  ClaimPaid: ClaimPaidData,
  ClaimWindowClosed: ClaimWindowClosedData,
} as const

type E<T extends keyof typeof coInvestmentEventSchemas> = DomainEvent<T, z.infer<(typeof coInvestmentEventSchemas)[T]>>
export type CoInvestmentRequested = E<'CoInvestmentRequested'>
export type CoInvestmentApproved = E<'CoInvestmentApproved'>
export type CoInvestmentRejected = E<'CoInvestmentRejected'>
export type CoInvestmentResubmitted = E<'CoInvestmentResubmitted'>
export type CoInvestmentDeclined = E<'CoInvestmentDeclined'>
export type ClaimSubmitted = E<'ClaimSubmitted'>
export type ClaimApproved = E<'ClaimApproved'>
export type ClaimRejected = E<'ClaimRejected'>
export type ClaimPaid = E<'ClaimPaid'>
export type ClaimWindowClosed = E<'ClaimWindowClosed'>
export type CoInvestmentEvent =
  | CoInvestmentRequested
  | CoInvestmentApproved
  | CoInvestmentRejected
  | CoInvestmentResubmitted
  | CoInvestmentDeclined
  | ClaimSubmitted
  | ClaimApproved
  | ClaimRejected
  | ClaimPaid
  | ClaimWindowClosed
export type CoInvestmentEventType = CoInvestmentEvent['type']

type Facts = { coInvestmentId: string; partnerId: string; quarter: string; currency: string; amountRequested: number }
type Approval = { approvedAmount: number; maxReimbursementPct: number; claimDeadline: string }
type Claim = { invoiceAmount: number; claimableAmount: number }
export type CoInvestment =
  | { status: 'Initial' }
  | ({ status: 'Requested' | 'Rejected' | 'Declined' } & Facts)
  | ({ status: 'Approved' | 'ClaimRejected' | 'ClaimWindowClosed' } & Facts & Approval)
  | ({ status: 'ClaimSubmitted' } & Facts & Approval & Claim)
  | ({ status: 'ClaimApproved' | 'Paid' } & Facts & Approval & Claim & { claimAmount: number })

export const initialState = (): CoInvestment => ({ status: 'Initial' })

function facts(s: Exclude<CoInvestment, { status: 'Initial' }>): Facts {
  return { coInvestmentId: s.coInvestmentId, partnerId: s.partnerId, quarter: s.quarter, currency: s.currency, amountRequested: s.amountRequested }
}
function approval(s: CoInvestment): Approval | null {
  return 'approvedAmount' in s ? { approvedAmount: s.approvedAmount, maxReimbursementPct: s.maxReimbursementPct, claimDeadline: s.claimDeadline } : null
}

export function evolve(state: CoInvestment, event: CoInvestmentEvent): CoInvestment {
  const d = event.data
  switch (event.type) {
    case 'CoInvestmentRequested':
      return { status: 'Requested', coInvestmentId: d.coInvestmentId, partnerId: d.partnerId, quarter: d.quarter, currency: event.data.currency, amountRequested: event.data.amountRequested }
    case 'CoInvestmentResubmitted':
      return state.status === 'Initial' ? state : { ...facts(state), status: 'Requested', currency: event.data.currency, amountRequested: event.data.amountRequested }
    case 'CoInvestmentApproved':
      return state.status === 'Initial'
        ? state
        : { ...facts(state), status: 'Approved', approvedAmount: event.data.approvedAmount, maxReimbursementPct: event.data.maxReimbursementPct, claimDeadline: event.data.claimDeadline }
    case 'CoInvestmentRejected':
    case 'CoInvestmentDeclined':
      return state.status === 'Initial' ? state : { ...facts(state), status: event.type === 'CoInvestmentRejected' ? 'Rejected' : 'Declined' }
    case 'ClaimSubmitted': {
      const a = approval(state)
      return state.status === 'Initial' || !a ? state : { ...facts(state), ...a, status: 'ClaimSubmitted', invoiceAmount: event.data.invoiceAmount, claimableAmount: event.data.claimableAmount }
    }
    case 'ClaimRejected':
    case 'ClaimWindowClosed': {
      const a = approval(state)
      return state.status === 'Initial' || !a ? state : { ...facts(state), ...a, status: event.type === 'ClaimRejected' ? 'ClaimRejected' : 'ClaimWindowClosed' }
    }
    case 'ClaimApproved':
      return state.status === 'ClaimSubmitted' ? { ...state, status: 'ClaimApproved', claimAmount: event.data.amount } : state
    case 'ClaimPaid':
      return state.status === 'ClaimApproved' ? { ...state, status: 'Paid' } : state
    default:
      return state
  }
}
