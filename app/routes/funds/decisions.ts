// The vendor's decisions on co-investment requests and claims: one schema per form, shared by the queue's and the
// detail page's forms (Conform validates in the browser) and the action that parses them (vendor-actions.server.ts).
import { z } from 'zod'
import {
  ApproveClaimData,
  ApproveCoInvestmentData,
  DeclineCoInvestmentData,
  RejectClaimData,
  RejectCoInvestmentData,
} from '../../../domain/coinvestment/decide.ts'
import { list, ref } from '../../../domain/shared/fields.ts'
import { formMoney, formNumber } from '../../forms.ts'

const id = ref()
/** a reason: `what` when missing or blank, then the command's field */
const reason = (what: string, field: z.ZodType<string, string>) => z.string({ error: what }).trim().min(1, what).pipe(field)

export const ApproveForm = z.object({
  intent: z.literal('approve'), coInvestmentId: id, commandId: ref().optional(),
  approvedAmount: formMoney('the approved amount', ApproveCoInvestmentData.shape.approvedAmount),
  maxReimbursementPct: formNumber('the maximum reimbursement %', ApproveCoInvestmentData.shape.maxReimbursementPct),
  claimDeadline: z.iso.date('Choose the claim deadline'),
})
/** rejecting lets the partner resubmit; declining is final (one form, two buttons) */
export const RejectOrDeclineForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('reject'), coInvestmentId: id, reason: reason('Say what to change before resubmitting', RejectCoInvestmentData.shape.reason) }),
  z.object({ intent: z.literal('decline'), coInvestmentId: id, reason: reason('Give a reason for declining', DeclineCoInvestmentData.shape.reason) }),
])
export const ApproveClaimForm = z.object({ intent: z.literal('approve-claim'), coInvestmentId: id, amount: formMoney('the amount to reimburse', ApproveClaimData.shape.amount) })
export const RejectClaimForm = z.object({ intent: z.literal('reject-claim'), coInvestmentId: id, reason: reason('Say what is wrong with the claim', RejectClaimData.shape.reason) })
export const PayForm = z.object({ intent: z.literal('pay'), coInvestmentId: id })

/** the claims or payments ticked in a queue: one or many */
const selected = list(ref(), 200).min(1, 'Select at least one')
export const BulkApproveForm = z.object({ intent: z.literal('approve-claims'), selected })
export const BulkPayForm = z.object({ intent: z.literal('pay-selected'), selected })

/** every decision the action takes, told apart by `intent` */
export const Decision = z.discriminatedUnion('intent', [ApproveForm, ...RejectOrDeclineForm.options, ApproveClaimForm, RejectClaimForm, PayForm, BulkApproveForm, BulkPayForm])

/** the decisions only a claim reviewer may take */
export const claimIntents = new Set(['approve-claim', 'reject-claim', 'pay', 'approve-claims', 'pay-selected'])
