// The vendor's decisions on co-investment requests and claims, shared by the queue and the detail page.
import { data } from 'react-router'
import { z } from 'zod'
import { DomainError, ValidationError } from '../../../domain/shared/errors.ts'
import { WrongExpectedVersion } from '../../../eventstore/errors.ts'
import { redirectWithToast, requireAction } from '../../auth.server.ts'
import { returnTo } from '../../forms.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { formatMoney } from '../../components/ui.tsx'
import {
  ApproveCoInvestmentData,
  DeclineCoInvestmentData,
  RejectClaimData,
  RejectCoInvestmentData,
} from '../../../domain/coinvestment/decide.ts'
import { list, ref } from '../../../domain/shared/fields.ts'
import { formMoney, formNumber } from '../../forms.ts'
import type { FormResult } from '../../forms.server.ts'
import { can } from '../../permissions.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import type { AppServices } from '../../services.server.ts'

const id = ref()
/** a reason: `what` when missing or blank, then the command's field */
const reason = (what: string, field: z.ZodType<string, string>) => z.string({ error: what }).trim().min(1, what).pipe(field)
const selected = z.union([z.string(), z.array(z.string())], { error: 'Select at least one' }).transform((v) => (Array.isArray(v) ? v : [v])).pipe(list(ref(), 200))

const Decision = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('approve'), coInvestmentId: id, commandId: ref().optional(),
    approvedAmount: formMoney('the approved amount'),
    maxReimbursementPct: formNumber('the maximum reimbursement %', ApproveCoInvestmentData.shape.maxReimbursementPct),
    claimDeadline: z.iso.date('Choose the claim deadline'),
  }),
  z.object({ intent: z.literal('reject'), coInvestmentId: id, reason: reason('Say what to change before resubmitting', RejectCoInvestmentData.shape.reason) }),
  z.object({ intent: z.literal('decline'), coInvestmentId: id, reason: reason('Give a reason for declining', DeclineCoInvestmentData.shape.reason) }),
  z.object({ intent: z.literal('approve-claim'), coInvestmentId: id, amount: formMoney('the amount to reimburse') }),
  z.object({ intent: z.literal('reject-claim'), coInvestmentId: id, reason: reason('Say what is wrong with the claim', RejectClaimData.shape.reason) }),
  z.object({ intent: z.literal('pay'), coInvestmentId: id }),
  z.object({ intent: z.literal('approve-claims'), selected }),
  z.object({ intent: z.literal('pay-selected'), selected }),
])

const claimIntents = new Set(['approve-claim', 'reject-claim', 'pay', 'approve-claims', 'pay-selected'])

function failure(fieldErrors: Record<string, string>, formError: string, status = 400) {
  return data({ result: { fieldErrors, formError, values: {} } satisfies FormResult }, { status })
}

export async function vendorFundsAction(request: Request, services: AppServices, fallback: string) {
  const { user, form } = await requireAction(request, services, 'coinvest:review')
  const back = returnTo(form, fallback)
  const raw: Record<string, unknown> = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'))
  if (form.getAll('selected').length) raw.selected = form.getAll('selected')
  const rowId = typeof raw.coInvestmentId === 'string' ? raw.coInvestmentId : ''
  if (claimIntents.has(String(raw.intent)) && !can(user.role, 'claim:review')) throw new Response('Your role may not review claims.', { status: 403 })
  const parsed = Decision.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return failure({ [`${issue.path.join('.') || 'form'}:${rowId}`]: issue.message }, issue.message)
  }
  const decision = parsed.data
  const actor = toActor(user)
  const queries = fundsQueries(services.sql)
  if (decision.intent === 'approve-claims' || decision.intent === 'pay-selected') {
    let done = 0
    const problems: string[] = []
    for (const coInvestmentId of decision.selected) {
      const found = await queries.request(coInvestmentId)
      if (!found) continue
      try {
        if (decision.intent === 'approve-claims' && found.claim) await services.commands.funds.approveClaim({ actor }, coInvestmentId, found.claim.claimableAmount)
        else await services.commands.funds.markPaid({ actor }, coInvestmentId)
        done++
      } catch (error) {
        if (!(error instanceof DomainError)) throw error
        problems.push(`${found.activity}: ${error.message}`)
      }
    }
    const what = decision.intent === 'approve-claims' ? 'approved in full' : 'marked paid'
    const message = `${done} claim${done === 1 ? '' : 's'} ${what}.${problems.length ? ` Not done: ${problems.join('; ')}` : ''}`
    return redirectWithToast(request, services, back, message, problems.length ? 'error' : 'success')
  }
  const found = await queries.request(decision.coInvestmentId)
  if (!found) throw data('No such co-investment.', { status: 404 })
  const c = found.currency
  try {
    switch (decision.intent) {
      case 'approve': {
        await services.commands.funds.approve({ actor, commandId: decision.commandId }, {
          coInvestmentId: found.coInvestmentId, approvedAmount: decision.approvedAmount, maxReimbursementPct: decision.maxReimbursementPct, claimDeadline: decision.claimDeadline,
        })
        const part = decision.approvedAmount < found.amountRequested ? ` in part (${formatMoney(decision.approvedAmount, c)} of ${formatMoney(found.amountRequested, c)})` : ` (${formatMoney(decision.approvedAmount, c)})`
        return redirectWithToast(request, services, back, `“${found.activity}” approved${part}; the money is reserved.`)
      }
      case 'reject':
        await services.commands.funds.reject({ actor }, found.coInvestmentId, decision.reason)
        return redirectWithToast(request, services, back, `“${found.activity}” rejected; the partner can change and resubmit it.`)
      case 'decline':
        await services.commands.funds.decline({ actor }, found.coInvestmentId, decision.reason)
        return redirectWithToast(request, services, back, `“${found.activity}” declined for good.`)
      case 'approve-claim':
        await services.commands.funds.approveClaim({ actor }, found.coInvestmentId, decision.amount)
        return redirectWithToast(request, services, back, `Claim for “${found.activity}” approved: ${formatMoney(decision.amount, c)} to pay.`)
      case 'reject-claim':
        await services.commands.funds.rejectClaim({ actor }, found.coInvestmentId, decision.reason)
        return redirectWithToast(request, services, back, `Claim for “${found.activity}” rejected; the partner sees your reason.`)
      case 'pay':
        await services.commands.funds.markPaid({ actor }, found.coInvestmentId)
        return redirectWithToast(request, services, back, `Claim for “${found.activity}” marked paid.`)
    }
  } catch (error) {
    if (error instanceof ValidationError) {
      const field = error.field?.split('.').pop() ?? 'form'
      const message = error.message.replace(/^[\w.]+: /, '')
      return failure({ [`${field}:${found.coInvestmentId}`]: message }, message)
    }
    if (error instanceof DomainError) {
      // an overdraw is refused by the allocation: show it at the amount
      const field = decision.intent === 'approve' && /available/.test(error.message) ? 'approvedAmount' : 'form'
      return failure({ [`${field}:${found.coInvestmentId}`]: error.message }, error.message, error.status)
    }
    if (error instanceof WrongExpectedVersion) return failure({}, 'Someone else changed this at the same moment. Reload the page and try again.', 409)
    throw error
  }
}
