// The vendor's decisions on co-investment requests and claims, shared by the queue and the detail page.
import { parseWithZod } from '@conform-to/zod/v4'
import { data } from 'react-router'
import { DomainError } from '../../../domain/shared/errors.ts'
import { redirectWithToast, requireAction } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { formatMoney } from '../../components/ui.tsx'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { can } from '../../permissions.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import { returnTo } from '../../return-to.server.ts'
import type { AppServices } from '../../services.server.ts'
import { claimIntents, Decision } from './decisions.ts'
import { countOf } from '../../format.ts'

export async function vendorFundsAction(request: Request, services: AppServices, fallback: string) {
  const { user, form } = await requireAction(request, services, 'coinvest:review')
  const back = returnTo(form, fallback)
  if (claimIntents.has(String(form.get('intent'))) && !can(user.role, 'claim:review')) throw new Response('Your role may not review claims.', { status: 403 })
  const submission = parseWithZod(form, { schema: Decision })
  if (submission.status !== 'success') return replyInvalid(submission)
  const decision = submission.value
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
    const message = `${countOf(done, 'claim')} ${what}.${problems.length ? ` Not done: ${problems.join('; ')}` : ''}`
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
    // an overdraw is refused by the allocation: show it at the amount
    if (decision.intent === 'approve' && error instanceof DomainError && /available/.test(error.message)) {
      return data({ result: submission.reply({ fieldErrors: { approvedAmount: [error.message] } }) }, { status: error.status })
    }
    return replyRefused(submission, error)
  }
}
