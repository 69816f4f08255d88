// Vendor: the deal registration queue, oldest first: approve, reject with a reason, or approve a selection. A row that
// conflicts names its rivals (linked); one whose approval would override them opens the deal page to confirm.
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/deals'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { conformInput } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { Pager, ReturnHere } from '../../components/pager.tsx'
import { CsrfInput } from '../../components/shell.tsx'
import { SlaAge } from '../../components/sla.tsx'
import { ConflictSummary } from '../../components/deal-conflict.tsx'
import { EmptyState, FormError, Money, PageHeader } from '../../components/ui.tsx'
import { vendorConflicts } from '../../deal-conflict-views.server.ts'
import { DomainError } from '../../../domain/shared/errors.ts'
import { itemsSummary } from '../../deal-items.ts'
import { countOf, formatCount } from '../../format.ts'
import { returnTo } from '../../return-to.server.ts'
import { RejectDealData } from '../../../domain/deals/decide.ts'
import { list, ref } from '../../../domain/shared/fields.ts'
import { onRealPages, pageRange, requestedPage } from '../../paging.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Deal queue · Partnerlog' }]

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'deal:review')
  const queue = await services.queries.deals.queue({ page: requestedPage(url) })
  onRealPages(url, { page: queue })
  const [names, conflicts] = await Promise.all([services.queries.organisations.names(queue.rows.map((d) => d.partnerId)), vendorConflicts(services, queue.rows)])
  return {
    queue: { ...queue, rows: queue.rows.map((d) => ({ ...d, partnerName: names[d.partnerId] ?? d.partnerId, conflictView: conflicts[d.dealId] ?? null })) },
    now: services.clock().toISOString(),
  }
}

/** a row's reject form, shared by the browser and the action */
const RejectForm = z.object({
  intent: z.literal('reject'),
  dealId: ref(),
  reason: z.string({ error: 'Give the partner a reason for the rejection' }).trim().min(1, 'Give the partner a reason for the rejection').pipe(RejectDealData.shape.reason),
})
const Review = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve'), dealId: ref() }),
  RejectForm,
  z.object({ intent: z.literal('approve-selected'), selected: z.union([ref(), list(ref(), 200)], { error: 'Select at least one deal' }) }),
])

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'deal:review')
  const submission = parseWithZod(form, { schema: Review })
  if (submission.status !== 'success') return replyInvalid(submission)
  const issued = { actor: toActor(user) }
  const review = submission.value
  const back = returnTo(form, '/vendor/deals')
  try {
    if (review.intent === 'approve-selected') {
      const ids = Array.isArray(review.selected) ? review.selected : [review.selected]
      // a registration the rules refuse (one that needs its conflict confirmed) stays waiting; the others are approved
      const refused: string[] = []
      for (const id of ids) {
        try {
          await services.commands.deals.approve(issued, id)
        } catch (error) {
          if (!(error instanceof DomainError)) throw error
          refused.push((await services.queries.deals.byId(id))?.customerName ?? id)
        }
      }
      const approved = ids.length - refused.length
      if (approved === 0) return replyRefused(submission, new DomainError(`Not approved: ${refused.join(', ')} ${refused.length === 1 ? 'conflicts' : 'conflict'} with other registrations or a direct account. Open ${refused.length === 1 ? 'it' : 'each'} to confirm.`))
      const note = refused.length ? ` Not approved: ${refused.join(', ')} (a conflict to confirm on ${refused.length === 1 ? 'its' : 'each'} page).` : ''
      return redirectWithToast(request, services, back, `${countOf(approved, 'deal registration')} approved.${note}`)
    }
    const deal = await services.queries.deals.byId(review.dealId)
    if (!deal) throw data('No such deal registration.', { status: 404 })
    if (review.intent === 'approve') {
      const { superseded } = await services.commands.deals.approve(issued, deal.dealId)
      const closed = superseded.length ? ` ${countOf(superseded.length, 'later registration')} for this customer closed; both partners see the decision.` : ''
      return redirectWithToast(request, services, back, `Deal for ${deal.customerName} approved; protected for the partner.${closed}`)
    }
    await services.commands.deals.reject(issued, deal.dealId, review.reason)
    return redirectWithToast(request, services, back, `Deal for ${deal.customerName} rejected; the partner sees your reason.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

/** a row's reject form, with its own error: the submission's result if it rejected this deal */
function RejectDeal({ dealId, customerName, actionData }: { dealId: string; customerName: string; actionData: unknown }) {
  const result = resultFor(actionData, 'reject')
  const [form, fields] = useSchemaForm({ id: `reject-${dealId}`, schema: RejectForm, lastResult: result?.initialValue?.dealId === dealId ? result : undefined })
  const reason = fields.reason
  return (
    <Form method="post" {...getFormProps(form)} className="flex items-start gap-1" noValidate>
      <FormHead form={form} intent="reject" />
      <ReturnHere />
      <input type="hidden" name="dealId" value={dealId} />
      <div>
        <label htmlFor={reason.id} className="sr-only">Reason for rejecting {customerName}</label>
        <input {...conformInput(reason)} placeholder="Reason to reject" className={`input w-44 ${reason.errors ? 'input-error' : ''}`} />
        {reason.errors ? <p id={reason.errorId} className="mt-1 text-xs text-red-700">{reason.errors[0]}</p> : null}
      </div>
      <button type="submit" className="btn-danger" aria-label={`Reject ${customerName}`}>Reject</button>
    </Form>
  )
}

export default function DealQueue() {
  const { queue, now } = useLoaderData<typeof loader>()
  const deals = queue.rows
  const { from, to } = pageRange(queue)
  const shown = queue.total > queue.size ? `; these are ${formatCount(from)}–${formatCount(to)}` : ''
  const actionData = useActionData<typeof action>()
  // approving (one or a selection) has no field of its own: its error shows at the top
  const approval = resultFor(actionData, 'approve') ?? resultFor(actionData, 'approve-selected')
  return (
    <div>
      <PageHeader
        title="Deal registrations"
        description={`${queue.total ? `${formatCount(queue.total)} waiting` : 'Waiting'} for your review, oldest first${shown}. The review SLA is 2 business days.`}
      />
      <FormError message={approval?.error?.selected?.[0] ?? approval?.error?.['']?.[0]} />
      {deals.length === 0 ? (
        <EmptyState title="The queue is empty" description="New deal registrations from partners appear here for approval." />
      ) : (
        <>
          <Form method="post" id="bulk"><CsrfInput /><ReturnHere /></Form>
          <div className="card mt-3 overflow-x-auto">
            <table className="table-base">
              <thead className="bg-gray-50">
                <tr>
                  <th scope="col" className="th w-8"><span className="sr-only">Select</span></th>
                  <th scope="col" className="th">Customer</th>
                  <th scope="col" className="th">Partner</th>
                  <th scope="col" className="th num">Value</th>
                  <th scope="col" className="th">Age</th>
                  <th scope="col" className="th">Flags</th>
                  <th scope="col" className="th">Decision</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-100">
                {deals.map((deal) => {
                  return (
                    <tr key={deal.dealId} className="align-top">
                      <td className="td"><input type="checkbox" name="selected" value={deal.dealId} form="bulk" aria-label={`Select ${deal.customerName}`} /></td>
                      <td className="td"><Link to={`/vendor/deals/${deal.dealId}`} className="font-medium">{deal.customerName}</Link><div className="text-xs text-gray-600">{deal.customerDomain}{deal.items.length ? ` · ${itemsSummary(deal.items)}` : ''}</div></td>
                      <td className="td"><Link to={`/vendor/partners/${deal.partnerId}`}>{deal.partnerName}</Link></td>
                      <td className="td num"><Money value={deal.value} currency={deal.currency} /></td>
                      <td className="td"><SlaAge since={deal.registeredAt} dueAt={deal.reviewDueAt} now={now} /></td>
                      <td className="td min-w-56">{deal.conflictView ? <ConflictSummary conflict={deal.conflictView} compact /> : <span className="text-gray-500">—</span>}</td>
                      <td className="td">
                        <div className="flex flex-wrap items-start gap-2">
                          {deal.conflictView?.needsConfirmation ? (
                            <Link to={`/vendor/deals/${deal.dealId}#decision`} className="btn-secondary no-underline" aria-label={`Review conflict: ${deal.customerName}`}>Review conflict</Link>
                          ) : (
                            <Form method="post">
                              <CsrfInput />
                              <ReturnHere />
                              <input type="hidden" name="intent" value="approve" />
                              <input type="hidden" name="dealId" value={deal.dealId} />
                              <button type="submit" className="btn-success" aria-label={`Approve ${deal.customerName}`}>Approve</button>
                            </Form>
                          )}
                          <RejectDeal dealId={deal.dealId} customerName={deal.customerName} actionData={actionData} />
                        </div>
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
            <Pager list={queue} label="Deal registration pages" order="oldest first" />
            <button type="submit" form="bulk" name="intent" value="approve-selected" className="btn-secondary ml-auto">Approve selected</button>
          </div>
        </>
      )}
    </div>
  )
}
