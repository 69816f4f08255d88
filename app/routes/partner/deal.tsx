// Partner: one deal registration: its facts and items, a conflict with another partner's registration (dates and the
// vendor's decision only, never who), and what may happen next (withdraw, won, lost, extension).
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/deal'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformTextarea } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { CsrfInput } from '../../components/shell.tsx'
import { PartnerConflictNote } from '../../components/deal-conflict.tsx'
import { Badge, DateText, FormError, Money, PageHeader, StatusBadge } from '../../components/ui.tsx'
import { partnerDeals } from '../../deal-conflict-views.server.ts'
import { formatCount, formatDate, isoDay } from '../../format.ts'
import { MarkDealLostData, RequestDealExtensionData } from '../../../domain/deals/decide.ts'
import { formText } from '../../forms.ts'
import { NO_SKU } from '../../deal-items.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.deal.customerName ?? 'Deal'} · Partnerlog` }]

async function ownDeal(request: Request, services: Route.LoaderArgs['context']['services'], dealId: string, permission: 'deal:manage-own') {
  const user = await requireUser(request, services, permission)
  const deal = await services.queries.deals.byId(dealId)
  // another partner's deal is reported as missing, so ids cannot be probed
  if (!deal || deal.partnerId !== user.organisationId) throw data('No deal with this id in your organisation.', { status: 404 })
  return { user, deal }
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ dealId: RouteId }, params, 'No deal with this id in your organisation.')
  const { deal: own } = await ownDeal(request, context.services, ids.dealId, 'deal:manage-own')
  // what the page is sent leaves out the rival registrations' ids and partners
  const [deal] = await partnerDeals(context.services, [own])
  return { deal: deal!, today: isoDay(context.services.clock()) }
}

/** the forms with fields, each shared by the browser and the action */
const ExtendForm = z.object({ intent: z.literal('extend'), justification: formText('why the deal needs more time', RequestDealExtensionData.shape.justification) })
const LostForm = z.object({ intent: z.literal('lost'), reason: formText('why the deal was lost', MarkDealLostData.shape.reason), lostToDirect: z.string().optional() })
const Intent = z.discriminatedUnion('intent', [z.object({ intent: z.literal('withdraw') }), ExtendForm, z.object({ intent: z.literal('won') }), LostForm])

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ dealId: RouteId }, params, 'No deal with this id in your organisation.')
  const { services } = context
  const { user, form } = await requireAction(request, services, 'deal:manage-own')
  const { deal } = await ownDeal(request, services, ids.dealId, 'deal:manage-own')
  const submission = parseWithZod(form, { schema: Intent })
  if (submission.status !== 'success') return replyInvalid(submission)
  const issued = { actor: toActor(user) }
  try {
    const intent = submission.value
    switch (intent.intent) {
      case 'withdraw':
        await services.commands.deals.withdraw(issued, deal.dealId)
        return redirectWithToast(request, services, `/partner/deals/${deal.dealId}`, `Deal for ${deal.customerName} withdrawn.`)
      case 'extend':
        await services.commands.deals.extend(issued, deal.dealId, intent.justification)
        return redirectWithToast(request, services, `/partner/deals/${deal.dealId}`, `Protection for ${deal.customerName} extended by 60 days.`)
      case 'won':
        await services.commands.deals.won(issued, deal.dealId)
        return redirectWithToast(request, services, `/partner/deals/${deal.dealId}`, `Congratulations: ${deal.customerName} marked won.`)
      case 'lost':
        await services.commands.deals.lost(issued, deal.dealId, intent.reason, intent.lostToDirect === 'on')
        return redirectWithToast(request, services, `/partner/deals/${deal.dealId}`, `Deal for ${deal.customerName} marked lost.`)
    }
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function Deal() {
  const { deal } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [lost, lostFields] = useSchemaForm({ id: 'lost', schema: LostForm, lastResult: resultFor(actionData, 'lost') })
  const [extend, extendFields] = useSchemaForm({ id: 'extend', schema: ExtendForm, lastResult: resultFor(actionData, 'extend') })
  // the forms without fields (withdraw, won) show a refusal at the top
  const refusal = resultFor(actionData, 'withdraw') ?? resultFor(actionData, 'won')
  return (
    <div className="max-w-4xl">
      <PageHeader
        title={deal.customerName}
        description={`${deal.customerDomain} · registered ${formatDate(deal.registeredAt)}`}
        breadcrumbs={[{ to: '/partner/deals', label: 'Deals' }]}
        actions={<StatusBadge status={deal.status} />}
      />
      <FormError message={refusal?.error?.['']?.[0]} />
      {deal.conflict ? (
        <section aria-labelledby="conflict" className={`card mt-4 border-l-4 p-5 text-sm ${deal.conflict.lost ? 'border-l-red-500' : deal.conflict.won ? 'border-l-green-600' : 'border-l-amber-500'}`}>
          <h2 id="conflict" className="text-sm font-semibold text-gray-900">{deal.conflict.lost ? 'Another partner’s registration was approved' : deal.conflict.won ? 'Conflict decided in your favour' : 'This registration conflicts'}</h2>
          <div className="mt-2 text-gray-800"><PartnerConflictNote conflict={deal.conflict} status={deal.status} protectedUntil={deal.protectedUntil} /></div>
        </section>
      ) : null}
      <div className="mt-4 grid gap-6 lg:grid-cols-3">
        <section className="card p-5 lg:col-span-2" aria-labelledby="facts">
          <h2 id="facts" className="text-sm font-semibold text-gray-900">Registration</h2>
          <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
            <dt className="text-gray-600">Value</dt><dd className="tabular-nums"><Money value={deal.value} currency={deal.currency} /></dd>
            <dt className="text-gray-600">Expected close</dt><dd><DateText iso={deal.expectedCloseDate} /></dd>
            <dt className="text-gray-600">Review due</dt><dd><DateText iso={deal.reviewDueAt} withTime /></dd>
            <dt className="text-gray-600">Protected until</dt><dd>{deal.protectedUntil && deal.status !== 'Superseded' ? <DateText iso={deal.protectedUntil} /> : deal.conflict?.lost?.protectionEndedOn ? <>Ended <DateText iso={deal.conflict.lost.protectionEndedOn} /></> : '—'}{deal.extended ? <span className="ml-2"><Badge tone="blue">Extended</Badge></span> : null}</dd>
            {deal.reason ? (<><dt className="text-gray-600">Reason</dt><dd>{deal.reason}</dd></>) : null}
          </dl>
          <h3 id="items" className="mt-5 text-sm font-semibold text-gray-900">Items</h3>
          {deal.items.length === 0 ? (
            <p className="mt-2 text-sm text-gray-600">No items were registered.</p>
          ) : (
            <table className="table-base mt-2" aria-labelledby="items">
              <thead><tr><th className="th">SKU</th><th className="th">Product</th><th className="th num">Qty</th></tr></thead>
              <tbody>
                {deal.items.map((item, i) => (
                  <tr key={i}>
                    <td className="td">{item.sku ?? <span className="text-gray-600" title="Registered before items had SKUs">{NO_SKU}</span>}</td>
                    <td className="td">{item.name}</td>
                    <td className="td num">{formatCount(item.quantity)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card space-y-4 p-5" aria-labelledby="next">
          <h2 id="next" className="text-sm font-semibold text-gray-900">Next steps</h2>
          {deal.status === 'Submitted' ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="withdraw" />
              <p className="text-sm text-gray-700">The vendor reviews it by <DateText iso={deal.reviewDueAt} />.</p>
              <button type="submit" className="btn-danger mt-3">Withdraw registration</button>
            </Form>
          ) : null}
          {deal.status === 'Approved' ? (
            <>
              <Form method="post" className="flex gap-2">
                <CsrfInput />
                <input type="hidden" name="intent" value="won" />
                <button type="submit" className="btn-success">Mark won</button>
              </Form>
              <Form method="post" {...getFormProps(lost)} className="space-y-2" noValidate>
                <FormHead form={lost} intent="lost" />
                <ConformField label="Lost: why?" meta={lostFields.reason}>
                  <input {...conformInput(lostFields.reason)} />
                </ConformField>
                <label className="flex items-center gap-2 text-sm"><input type="checkbox" name={lostFields.lostToDirect.name} /> Lost to the vendor’s direct sales</label>
                <button type="submit" className="btn-secondary">Mark lost</button>
              </Form>
              {!deal.extended ? (
                <Form method="post" {...getFormProps(extend)} className="space-y-2" noValidate>
                  <FormHead form={extend} intent="extend" />
                  <ConformField label="Extension: why does it need 60 more days?" meta={extendFields.justification}>
                    <textarea {...conformTextarea(extendFields.justification)} rows={2} />
                  </ConformField>
                  <button type="submit" className="btn-secondary">Ask for extension</button>
                </Form>
              ) : null}
            </>
          ) : null}
          {['Rejected', 'Withdrawn', 'Won', 'Lost', 'Expired', 'Superseded'].includes(deal.status) ? <p className="text-sm text-gray-700">This registration is closed.</p> : null}
        </section>
      </div>
    </div>
  )
}
