// Co-investment rules: one function per command, and `decide` dispatching on the command type.
import { z } from 'zod'
import { requirePartnerOf, requireVendor } from '../shared/auth.ts'
import type { Actor, Command, Decider } from '../shared/command.ts'
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts'
import { Currency, FileRef, IsoDate, NonNegativeAmount, parseData, Quarter } from '../shared/schemas.ts'
import { integer, list, MAX, money as moneyField, moneyOrZero, multiLine, ref as refField, singleLine } from '../shared/fields.ts'
import { dateOf } from '../shared/time.ts'
import { round } from '../allocations/allocation.ts'
import {
  CoInvestmentKind,
  evolve,
  initialState,
  type ClaimApproved,
  type ClaimPaid,
  type ClaimRejected,
  type ClaimSubmitted,
  type ClaimWindowClosed,
  type CoInvestment,
  type CoInvestmentApproved,
  type CoInvestmentDeclined,
  type CoInvestmentEvent,
  type CoInvestmentRejected,
  type CoInvestmentRequested,
  type CoInvestmentResubmitted,
} from './coinvestment.ts'

/** supplied by the command handler from the allocation stream: what can still be reserved */
export const AvailableFunds = z.object({ amount: NonNegativeAmount, currency: Currency })

/** what the partner proposes (the event's Proposal, bounded for input) */
const Proposal = z.object({
  kind: CoInvestmentKind,
  activity: singleLine(MAX.label),
  totalCost: moneyField(),
  partnerInvestment: moneyOrZero(),
  amountRequested: moneyField(),
  currency: Currency,
  expectedPipeline: moneyOrZero(),
})
const ProposalData = Proposal.extend({ coInvestmentId: refField(), availableFunds: AvailableFunds })
export const RequestCoInvestmentData = ProposalData.extend({ partnerId: refField(), quarter: Quarter })
export const ResubmitCoInvestmentData = ProposalData
export const ApproveCoInvestmentData = z.object({
  coInvestmentId: refField(),
  approvedAmount: moneyField(),
  maxReimbursementPct: integer(1, 100, 'Use a whole percentage from 1 to at most 100'),
  claimDeadline: IsoDate,
})
export const RejectCoInvestmentData = z.object({ coInvestmentId: refField(), reason: multiLine(MAX.shortText, 'Say what to change before resubmitting') })
export const DeclineCoInvestmentData = z.object({ coInvestmentId: refField(), reason: multiLine(MAX.shortText, 'Give a reason for declining') })
export const SubmitClaimData = z.object({
  coInvestmentId: refField(),
  invoiceAmount: moneyField(),
  evidence: list(FileRef, 20).min(1, 'Attach the invoice and proof of the activity'),
  leadCount: integer(0, 1_000_000).optional(),
})
export const ApproveClaimData = z.object({ coInvestmentId: refField(), amount: moneyField() })
export const RejectClaimData = z.object({ coInvestmentId: refField(), reason: multiLine(MAX.shortText, 'Say what is wrong with the claim') })
export const MarkClaimPaidData = z.object({ coInvestmentId: refField() })
export const ClaimDeadlinePassedData = z.object({ coInvestmentId: refField() })

export const coInvestmentCommandSchemas = {
  RequestCoInvestment: RequestCoInvestmentData,
  ResubmitCoInvestment: ResubmitCoInvestmentData,
  ApproveCoInvestment: ApproveCoInvestmentData,
  RejectCoInvestment: RejectCoInvestmentData,
  DeclineCoInvestment: DeclineCoInvestmentData,
  SubmitClaim: SubmitClaimData,
  ApproveClaim: ApproveClaimData,
  RejectClaim: RejectClaimData,
  MarkClaimPaid: MarkClaimPaidData,
  ClaimDeadlinePassed: ClaimDeadlinePassedData,
} as const

type C<T extends keyof typeof coInvestmentCommandSchemas> = Command<T, z.input<(typeof coInvestmentCommandSchemas)[T]>>
export type RequestCoInvestment = C<'RequestCoInvestment'>
export type ResubmitCoInvestment = C<'ResubmitCoInvestment'>
export type ApproveCoInvestment = C<'ApproveCoInvestment'>
export type RejectCoInvestment = C<'RejectCoInvestment'>
export type DeclineCoInvestment = C<'DeclineCoInvestment'>
export type SubmitClaim = C<'SubmitClaim'>
export type ApproveClaim = C<'ApproveClaim'>
export type RejectClaim = C<'RejectClaim'>
export type MarkClaimPaid = C<'MarkClaimPaid'>
export type ClaimDeadlinePassed = C<'ClaimDeadlinePassed'>
export type CoInvestmentCommand =
  | RequestCoInvestment
  | ResubmitCoInvestment
  | ApproveCoInvestment
  | RejectCoInvestment
  | DeclineCoInvestment
  | SubmitClaim
  | ApproveClaim
  | RejectClaim
  | MarkClaimPaid
  | ClaimDeadlinePassed
export type CoInvestmentCommandType = CoInvestmentCommand['type']

type Existing = Exclude<CoInvestment, { status: 'Initial' }>
type Status = Existing['status']
function existing(state: CoInvestment, id: string): Existing {
  if (state.status === 'Initial') throw new NotFoundError(`Co-investment ${id} does not exist`)
  return state
}
function requireStatus<S extends Status>(state: Existing, statuses: readonly S[], message: string): asserts state is Existing & { status: S } {
  if (!(statuses as readonly Status[]).includes(state.status)) throw new IllegalStateError(`${message} (this one is ${state.status})`)
}
/** A vendor acting on an existing co-investment that must be in one of `from`. */
function vendorActsOn<S extends Status>(state: CoInvestment, id: string, actor: Actor, action: string, from: readonly S[], refusal: string) {
  const ci = existing(state, id)
  requireVendor(actor, action)
  requireStatus(ci, from, refusal)
  return ci
}
const money = (amount: number, currency: string) => `${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`
const ref = (s: Existing) => ({ coInvestmentId: s.coInvestmentId, partnerId: s.partnerId, quarter: s.quarter })

function checkProposal(data: z.infer<typeof ProposalData>, quarter: string) {
  if (data.partnerInvestment + data.amountRequested > data.totalCost)
    throw new ValidationError(
      `The request (${money(data.amountRequested, data.currency)}) and the partner's own investment (${money(data.partnerInvestment, data.currency)}) exceed the total cost of ${money(data.totalCost, data.currency)}`,
      'amountRequested',
    )
  if (data.availableFunds.currency !== data.currency)
    throw new ValidationError(`Your ${quarter} allocation is in ${data.availableFunds.currency}; request in ${data.availableFunds.currency}`, 'currency')
  if (data.amountRequested > data.availableFunds.amount)
    throw new ValidationError(
      `Only ${money(data.availableFunds.amount, data.currency)} of your ${quarter} allocation is available; request at most that`,
      'amountRequested',
    )
}
function proposalOf(data: z.infer<typeof ProposalData>) {
  const { coInvestmentId: _id, availableFunds: _funds, ...proposal } = data
  return proposal
}

export function requestCoInvestment(command: RequestCoInvestment, state: CoInvestment): CoInvestmentRequested {
  const data = parseData(RequestCoInvestmentData, command.data)
  requirePartnerOf(command.metadata.actor, data.partnerId, 'request co-investment')
  if (state.status !== 'Initial') throw new IllegalStateError(`Co-investment ${data.coInvestmentId} is already requested`)
  checkProposal(data, data.quarter)
  const { partnerId: _p, quarter: _q, ...rest } = data
  return { type: 'CoInvestmentRequested', data: { coInvestmentId: data.coInvestmentId, partnerId: data.partnerId, quarter: data.quarter, ...proposalOf(rest) } }
}

export function resubmitCoInvestment(command: ResubmitCoInvestment, state: CoInvestment): CoInvestmentResubmitted {
  const data = parseData(ResubmitCoInvestmentData, command.data)
  const ci = existing(state, data.coInvestmentId)
  requirePartnerOf(command.metadata.actor, ci.partnerId, 'resubmit its co-investment requests')
  requireStatus(ci, ['Rejected'], 'Only a rejected request can be resubmitted')
  checkProposal(data, ci.quarter)
  return { type: 'CoInvestmentResubmitted', data: { ...ref(ci), ...proposalOf(data) } }
}

export function approveCoInvestment(command: ApproveCoInvestment, state: CoInvestment): CoInvestmentApproved {
  const data = parseData(ApproveCoInvestmentData, command.data)
  const ci = vendorActsOn(state, data.coInvestmentId, command.metadata.actor, 'approve co-investment', ['Requested'], 'Only a pending request can be approved')
  if (data.approvedAmount > ci.amountRequested)
    throw new ValidationError(`${money(ci.amountRequested, ci.currency)} was requested; approve at most that`, 'approvedAmount')
  const today = dateOf(command.metadata.now)
  if (data.claimDeadline < today) throw new ValidationError(`The claim deadline ${data.claimDeadline} is in the past; choose ${today} or later`, 'claimDeadline')
  return {
    type: 'CoInvestmentApproved',
    data: { ...ref(ci), approvedAmount: data.approvedAmount, partial: data.approvedAmount < ci.amountRequested, maxReimbursementPct: data.maxReimbursementPct, claimDeadline: data.claimDeadline, currency: ci.currency },
  }
}

export function rejectCoInvestment(command: RejectCoInvestment, state: CoInvestment): CoInvestmentRejected {
  const data = parseData(RejectCoInvestmentData, command.data)
  const ci = vendorActsOn(state, data.coInvestmentId, command.metadata.actor, 'reject co-investment', ['Requested'], 'Only a pending request can be rejected')
  return { type: 'CoInvestmentRejected', data: { ...ref(ci), reason: data.reason } }
}

export function declineCoInvestment(command: DeclineCoInvestment, state: CoInvestment): CoInvestmentDeclined {
  const data = parseData(DeclineCoInvestmentData, command.data)
  const ci = vendorActsOn(state, data.coInvestmentId, command.metadata.actor, 'decline co-investment', ['Requested', 'Rejected'], 'Only a pending or rejected request can be declined')
  return { type: 'CoInvestmentDeclined', data: { ...ref(ci), reason: data.reason } }
}

export function submitClaim(command: SubmitClaim, state: CoInvestment): ClaimSubmitted {
  const data = parseData(SubmitClaimData, command.data)
  const ci = existing(state, data.coInvestmentId)
  requirePartnerOf(command.metadata.actor, ci.partnerId, 'claim its co-investment')
  requireStatus(ci, ['Approved', 'ClaimRejected'], 'Only an approved co-investment without a pending claim can be claimed')
  const today = dateOf(command.metadata.now)
  if (today > ci.claimDeadline) throw new IllegalStateError(`The claim deadline was ${ci.claimDeadline}; claims are no longer accepted`)
  return {
    type: 'ClaimSubmitted',
    data: {
      ...ref(ci),
      invoiceAmount: data.invoiceAmount,
      evidence: data.evidence,
      leadCount: data.leadCount ?? null,
      claimableAmount: claimable(ci.approvedAmount, data.invoiceAmount, ci.maxReimbursementPct),
      currency: ci.currency,
    },
  }
}
/** the most a claim can reimburse: min(approved, invoice x pct) */
export const claimable = (approved: number, invoice: number, pct: number) => round(Math.min(approved, (invoice * pct) / 100))

export function approveClaim(command: ApproveClaim, state: CoInvestment): ClaimApproved {
  const data = parseData(ApproveClaimData, command.data)
  const ci = vendorActsOn(state, data.coInvestmentId, command.metadata.actor, 'approve claims', ['ClaimSubmitted'], 'Only a submitted claim can be approved')
  if (data.amount > ci.claimableAmount)
    throw new ValidationError(
      `At most ${money(ci.claimableAmount, ci.currency)} can be reimbursed (the lower of ${money(ci.approvedAmount, ci.currency)} approved and ${ci.maxReimbursementPct}% of the ${money(ci.invoiceAmount, ci.currency)} invoice)`,
      'amount',
    )
  return { type: 'ClaimApproved', data: { ...ref(ci), amount: data.amount, currency: ci.currency } }
}

export function rejectClaim(command: RejectClaim, state: CoInvestment): ClaimRejected {
  const data = parseData(RejectClaimData, command.data)
  const ci = vendorActsOn(state, data.coInvestmentId, command.metadata.actor, 'reject claims', ['ClaimSubmitted'], 'Only a submitted claim can be rejected')
  return { type: 'ClaimRejected', data: { ...ref(ci), reason: data.reason } }
}

export function markClaimPaid(command: MarkClaimPaid, state: CoInvestment): ClaimPaid {
  const data = parseData(MarkClaimPaidData, command.data)
  const ci = vendorActsOn(state, data.coInvestmentId, command.metadata.actor, 'record payments', ['ClaimApproved'], 'Only an approved claim can be paid')
  return { type: 'ClaimPaid', data: { ...ref(ci), amount: ci.claimAmount, currency: ci.currency, paidOn: dateOf(command.metadata.now) } }
}

/** scheduler: closes the claim window of an approved co-investment nobody claimed in time; a retry is a no-op */
export function claimDeadlinePassed(command: ClaimDeadlinePassed, state: CoInvestment): ClaimWindowClosed[] {
  const data = parseData(ClaimDeadlinePassedData, command.data)
  const ci = existing(state, data.coInvestmentId)
  requireVendor(command.metadata.actor, 'close claim windows')
  if (ci.status === 'ClaimWindowClosed') return []
  requireStatus(ci, ['Approved', 'ClaimRejected'], 'Only an approved co-investment without a pending claim can miss its claim deadline')
  if (dateOf(command.metadata.now) <= ci.claimDeadline) throw new IllegalStateError(`Claims are accepted until ${ci.claimDeadline}`)
  return [{ type: 'ClaimWindowClosed', data: { ...ref(ci), claimDeadline: ci.claimDeadline, releasedAmount: ci.approvedAmount, currency: ci.currency } }]
}

export function decide(command: CoInvestmentCommand, state: CoInvestment): CoInvestmentEvent | CoInvestmentEvent[] {
  switch (command.type) {
    case 'RequestCoInvestment':
      return requestCoInvestment(command, state)
    case 'ResubmitCoInvestment':
      return resubmitCoInvestment(command, state)
    case 'ApproveCoInvestment':
      return approveCoInvestment(command, state)
    case 'RejectCoInvestment':
      return rejectCoInvestment(command, state)
    case 'DeclineCoInvestment':
      return declineCoInvestment(command, state)
    case 'SubmitClaim':
      return submitClaim(command, state)
    case 'ApproveClaim':
      return approveClaim(command, state)
    case 'RejectClaim':
      return rejectClaim(command, state)
    case 'MarkClaimPaid':
      return markClaimPaid(command, state)
    case 'ClaimDeadlinePassed':
      return claimDeadlinePassed(command, state)
    default: {
      const _exhaustive: never = command
      throw new ValidationError(`Unknown command ${(_exhaustive as { type: string }).type}`)
    }
  }
}

export const CoInvestmentDecider: Decider<CoInvestmentCommand, CoInvestmentEvent, CoInvestment> = { initialState, evolve, decide }
