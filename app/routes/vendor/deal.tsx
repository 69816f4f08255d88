// Vendor: one deal registration: its facts, the rival registrations and direct account it conflicts with (each linked),
// what was decided, and, while it waits, approve (a second step naming what the approval overrides) or reject.
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/deal'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformTextarea } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { ConflictSummary, RivalLine, VendorOutcome } from '../../components/deal-conflict.tsx'
import { Badge, DateText, Money, PageHeader, StatusBadge } from '../../components/ui.tsx'
import { vendorConflicts } from '../../deal-conflict-views.server.ts'
import { NO_SKU } from '../../deal-items.ts'
import { countOf, formatCount, formatDate } from '../../format.ts'
import { formOptional, formText } from '../../forms.ts'
import { RejectDealData } from '../../../domain/deals/decide.ts'
import { list, MAX, multiLine, ref } from '../../../domain/shared/fields.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.deal.customerName ?? 'Deal'} · Deal registrations · Partnerlog` }]

const NOT_FOUND = 'No deal registration with this id.'

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ dealId: RouteId }, params, NOT_FOUND)
  const { services } = context
  await requireUser(request, services, 'deal:review')
  const deal = await services.queries.deals.byId(ids.dealId)
  if (!deal) throw data(NOT_FOUND, { status: 404 })
  const [conflicts, names] = await Promise.all([vendorConflicts(services, [deal]), services.queries.organisations.names([deal.partnerId])])
  return { deal, partnerName: names[deal.partnerId] ?? deal.partnerId, conflict: conflicts[deal.dealId] ?? null }
}

/** the approval; on a conflicting registration the checkbox and the reason are the second step the rule asks for */
const ApproveForm = z.object({
  intent: z.literal('approve'),
  confirm: z.string().optional(),
  confirmRivals: z.union([ref(), list(ref(), 50)]).optional(),
  confirmDirect: z.string().optional(),
  reason: formOptional(multiLine(MAX.shortText)),
})
const RejectForm = z.object({ intent: z.literal('reject'), reason: formText('a reason for the rejection', RejectDealData.shape.reason) })
const Review = z.discriminatedUnion('intent', [ApproveForm, RejectForm])

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ dealId: RouteId }, params, NOT_FOUND)
  const { services } = context
  const { user, form } = await requireAction(request, services, 'deal:review')
  const deal = await services.queries.deals.byId(ids.dealId)
  if (!deal) throw data(NOT_FOUND, { status: 404 })
  const submission = parseWithZod(form, { schema: Review })
  if (submission.status !== 'success') return replyInvalid(submission)
  const issued = { actor: toActor(user) }
  const review = submission.value
  const here = `/vendor/deals/${deal.dealId}`
  try {
    if (review.intent === 'reject') {
      await services.commands.deals.reject(issued, deal.dealId, review.reason)
      return redirectWithToast(request, services, here, `Deal for ${deal.customerName} rejected; the partner sees your reason.`)
    }
    const rivals = review.confirmRivals === undefined ? [] : Array.isArray(review.confirmRivals) ? review.confirmRivals : [review.confirmRivals]
    const confirm = review.confirm === 'on' ? { rivals, directAccount: review.confirmDirect === 'on' } : null
    const { superseded } = await services.commands.deals.approve(issued, deal.dealId, { confirm, reason: review.reason ?? null })
    const closed = superseded.length ? ` ${countOf(superseded.length, 'other registration')} for this customer closed; both partners see the decision.` : ''
    return redirectWithToast(request, services, here, `Deal for ${deal.customerName} approved; protected for the partner.${closed}`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

function ApproveSection({ conflict, customerName, actionData }: { conflict: NonNullable<Route.ComponentProps['loaderData']['conflict']> | null; customerName: string; actionData: unknown }) {
  const [form, fields] = useSchemaForm({ id: 'approve', schema: ApproveForm, lastResult: resultFor(actionData, 'approve') })
  const overridden = conflict?.rivals.filter((r) => r.overridden) ?? []
  const later = conflict?.rivals.filter((r) => !r.overridden && (r.status === 'Submitted' || r.status === 'Approved')) ?? []
  const confirming = conflict?.needsConfirmation ?? false
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" noValidate>
      <FormHead form={form} intent="approve" />
      {confirming ? (
        <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p className="font-medium">Approving {customerName} overrides:</p>
          <ul className="list-disc space-y-1 pl-5">
            {overridden.map((r) => (
              <li key={r.dealId}>
                <RivalLine rival={r} />
                <div className="text-xs">{r.status === 'Approved' ? `Its protection${r.protectedUntil ? ` (until ${formatDate(r.protectedUntil)})` : ''} ends today.` : 'It was registered first; it is closed.'}</div>
                <input type="hidden" name="confirmRivals" value={r.dealId} />
              </li>
            ))}
            {conflict?.directAccount ? (
              <li>the direct account <strong>{conflict.directAccount.name}</strong><input type="hidden" name="confirmDirect" value="on" /></li>
            ) : null}
          </ul>
          <div>
            <label className="flex items-start gap-2">
              <input type="checkbox" id={fields.confirm.id} name={fields.confirm.name} aria-invalid={fields.confirm.errors ? true : undefined} aria-describedby={fields.confirm.errors ? fields.confirm.errorId : undefined} className="mt-0.5" />
              <span>I confirm: only this partner will hold protection on {customerName}, and the partners above are told.</span>
            </label>
            {fields.confirm.errors ? <p id={fields.confirm.errorId} className="mt-1 text-sm text-red-700">{fields.confirm.errors[0]}</p> : null}
          </div>
          <ConformField label="Reason (both partners read it)" meta={fields.reason}>
            <textarea {...conformTextarea(fields.reason)} rows={2} />
          </ConformField>
        </div>
      ) : (
        <>
          {fields.confirm.errors ? <p id={fields.confirm.errorId} className="text-sm text-red-700">{fields.confirm.errors[0]}</p> : null}
          {later.length ? <p className="text-sm text-gray-700">Earliest registration: approving it closes {later.length === 1 ? 'the later registration' : `the ${formatCount(later.length)} later registrations`} of this customer, and {later.length === 1 ? 'its partner is' : 'their partners are'} told.</p> : null}
        </>
      )}
      <button type="submit" className="btn-success">{confirming ? 'Confirm and approve' : 'Approve'}</button>
    </Form>
  )
}

function RejectSection({ actionData }: { actionData: unknown }) {
  const [form, fields] = useSchemaForm({ id: 'reject', schema: RejectForm, lastResult: resultFor(actionData, 'reject') })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-2" noValidate>
      <FormHead form={form} intent="reject" />
      <ConformField label="Reject: the partner reads your reason" meta={fields.reason}>
        <input {...conformInput(fields.reason)} />
      </ConformField>
      <button type="submit" className="btn-danger">Reject</button>
    </Form>
  )
}

export default function VendorDeal() {
  const { deal, partnerName, conflict } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={deal.customerName}
        description={`${deal.customerDomain} · registered by ${partnerName} on ${formatDate(deal.registeredAt)}`}
        breadcrumbs={[{ to: '/vendor/deals', label: 'Deal registrations' }]}
        actions={<StatusBadge status={deal.status} />}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {conflict ? (
            <section className="card p-5" aria-labelledby="conflict">
              <h2 id="conflict" className="text-sm font-semibold text-gray-900">Conflict</h2>
              <div className="mt-3 space-y-3">
                <ConflictSummary conflict={conflict} />
                <VendorOutcome conflict={conflict} protectedUntil={deal.protectedUntil} />
              </div>
            </section>
          ) : null}
          <section className="card p-5" aria-labelledby="facts">
            <h2 id="facts" className="text-sm font-semibold text-gray-900">Registration</h2>
            <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
              <dt className="text-gray-600">Partner</dt><dd><Link to={`/vendor/partners/${deal.partnerId}`}>{partnerName}</Link></dd>
              <dt className="text-gray-600">Value</dt><dd className="tabular-nums"><Money value={deal.value} currency={deal.currency} /></dd>
              <dt className="text-gray-600">Expected close</dt><dd><DateText iso={deal.expectedCloseDate} /></dd>
              <dt className="text-gray-600">Review due</dt><dd><DateText iso={deal.reviewDueAt} withTime />{deal.slaBreached ? <span className="ml-2"><Badge tone="red">Overdue</Badge></span> : null}</dd>
              <dt className="text-gray-600">Protected until</dt><dd>{deal.protectedUntil && deal.status === 'Approved' ? <DateText iso={deal.protectedUntil} /> : '—'}</dd>
              {deal.reason ? (<><dt className="text-gray-600">Reason</dt><dd>{deal.reason}</dd></>) : null}
            </dl>
            <h3 id="items" className="mt-5 text-sm font-semibold text-gray-900">Items</h3>
            {deal.items.length === 0 ? (
              <p className="mt-2 text-sm text-gray-600">No items were registered.</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="table-base mt-2" aria-labelledby="items">
                  <thead><tr><th className="th">SKU</th><th className="th">Product</th><th className="th num">Qty</th></tr></thead>
                  <tbody>
                    {deal.items.map((item, i) => (
                      <tr key={i}><td className="td">{item.sku ?? NO_SKU}</td><td className="td">{item.name}</td><td className="td num">{formatCount(item.quantity)}</td></tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
        <section className="card space-y-5 p-5" aria-labelledby="decision">
          <h2 id="decision" className="text-sm font-semibold text-gray-900">Decision</h2>
          {deal.status === 'Submitted' ? (
            <>
              <ApproveSection conflict={conflict} customerName={deal.customerName} actionData={actionData} />
              <RejectSection actionData={actionData} />
            </>
          ) : (
            <p className="text-sm text-gray-700">
              {deal.reviewedAt ? <>Reviewed on {formatDate(deal.reviewedAt)}. </> : null}This registration is {deal.status.toLowerCase()}.
            </p>
          )}
        </section>
      </div>
    </div>
  )
}
