// One co-investment as the vendor and the auditor see it: facts, evidence, history, and the vendor's decisions.
import { randomUUID } from 'node:crypto'
import { getFormProps } from '@conform-to/react'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/vendor-fund'
import { parseParams, RouteId } from '../../params.server.ts'
import { addDays } from '../../../domain/shared/time.ts'
import { requireUser } from '../../auth.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { ConformField, conformInput } from '../../components/form-field.tsx'
import { replyFor, withClass } from '../../components/row-field.tsx'
import { FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { formatMoney, PageHeader } from '../../components/ui.tsx'
import { can } from '../../permissions.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import { EvidenceList, FundStatusBadge, HistoryCard, kindLabels, RequestFacts } from './components.tsx'
import { ApproveClaimForm, ApproveForm, RejectClaimForm, RejectOrDeclineForm } from './decisions.ts'
import { vendorFundsAction } from './vendor-actions.server.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.request.activity ?? 'Co-investment'} · Partnerlog` }]

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ requestId: RouteId }, params, 'No co-investment request with this id.')
  const { services } = context
  const user = await requireUser(request, services, 'partner:read-all')
  const queries = fundsQueries(services.sql)
  const found = await queries.request(ids.requestId)
  if (!found) throw data('No co-investment with this id.', { status: 404 })
  const now = services.clock().toISOString()
  const [partner, ledger, settings, users] = await Promise.all([services.queries.organisations.byId(found.partnerId), queries.ledger(found.partnerId, found.quarter), queries.settings(now), services.queries.users.names(found.history.map((h) => h.actor))])
  return {
    request: found, names: users, partnerName: partner?.name ?? found.partnerId, available: ledger?.available ?? 0,
    canDecide: can(user.role, 'coinvest:review'), defaultDeadline: addDays(now, settings.claimDeadlineDays), today: now.slice(0, 10), commandId: randomUUID(),
  }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ requestId: RouteId }, params, 'No co-investment request with this id.')
  return vendorFundsAction(request, context.services, `/vendor/funds/${ids.requestId}`)
}

export default function VendorFund() {
  const { request: r, names, partnerName, available, canDecide, defaultDeadline, today, commandId } = useLoaderData<typeof loader>()
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={r.activity}
        description={`${partnerName} · ${kindLabels[r.kind]} · ${r.quarter} · ${formatMoney(available, r.currency)} available in the allocation`}
        breadcrumbs={[{ to: '/vendor/funds', label: 'Funds' }, { to: '/vendor/funds/queue', label: 'Queue' }]}
        actions={<FundStatusBadge status={r.status} />}
      />
      <div className="mt-4 grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <section className="card p-5" aria-labelledby="facts">
            <h2 id="facts" className="mb-3 text-sm font-semibold text-gray-900">Request</h2>
            <RequestFacts request={r} />
            {r.claim ? (<div className="mt-4"><h3 className="mb-1 text-sm font-semibold text-gray-900">Evidence</h3><EvidenceList request={r} /></div>) : null}
            <p className="mt-4 text-sm"><Link to={`/funds/ledger/${r.partnerId}/${r.quarter}`}>{partnerName}’s {r.quarter} ledger</Link></p>
          </section>
          {canDecide && r.status === 'Requested' ? (
            <section className="card space-y-5 p-5" aria-labelledby="decide-title">
              <h2 id="decide-title" className="text-sm font-semibold text-gray-900">Decide</h2>
              <DecideForms request={r} defaultDeadline={defaultDeadline} today={today} commandId={commandId} />
            </section>
          ) : null}
          {canDecide && r.status === 'ClaimSubmitted' ? (
            <section className="card space-y-4 p-5" aria-labelledby="claim-title">
              <h2 id="claim-title" className="text-sm font-semibold text-gray-900">Review the claim</h2>
              <ClaimForms request={r} />
            </section>
          ) : null}
          {canDecide && r.status === 'ClaimApproved' ? (
            <Form method="post" className="card flex items-center justify-between p-5">
              <CsrfInput />
              <input type="hidden" name="coInvestmentId" value={r.coInvestmentId} />
              <p className="text-sm text-gray-700">{formatMoney(r.claim?.approvedAmount ?? 0, r.currency)} approved for payment.</p>
              <button name="intent" value="pay" className="btn-success">Mark paid</button>
            </Form>
          ) : null}
        </div>
        <HistoryCard request={r} names={names} />
      </div>
    </div>
  )
}

type Request = { coInvestmentId: string; currency: string; amountRequested: number; claim: { claimableAmount: number } | null }

/** approve (amount, reimbursement, deadline), or reject for changes, or decline for good */
function DecideForms({ request: r, defaultDeadline, today, commandId }: { request: Request; defaultDeadline: string; today: string; commandId: string }) {
  const actionData = useActionData<typeof action>()
  const id = r.coInvestmentId
  const [approve, a] = useSchemaForm({
    id: 'approve', schema: ApproveForm, lastResult: replyFor(actionData, { intent: 'approve', coInvestmentId: id }),
    defaultValue: { approvedAmount: String(r.amountRequested), maxReimbursementPct: '50', claimDeadline: defaultDeadline },
  })
  const [reject, j] = useSchemaForm({
    id: 'reject', schema: RejectOrDeclineForm,
    lastResult: replyFor(actionData, { intent: 'reject', coInvestmentId: id }) ?? replyFor(actionData, { intent: 'decline', coInvestmentId: id }),
  })
  return (
    <>
      <Form method="post" {...getFormProps(approve)} className="grid gap-4 sm:grid-cols-4 sm:items-end">
        <FormHead form={approve} intent="approve" commandId={commandId} />
        <input type="hidden" name="coInvestmentId" value={id} />
        <ConformField label={`Amount (${r.currency})`} meta={a.approvedAmount}><input {...conformInput(a.approvedAmount)} inputMode="decimal" /></ConformField>
        <ConformField label="Max reimbursement %" meta={a.maxReimbursementPct}><input {...conformInput(a.maxReimbursementPct)} inputMode="decimal" /></ConformField>
        <ConformField label="Claim deadline" meta={a.claimDeadline}><input {...conformInput(a.claimDeadline, 'date')} min={today} /></ConformField>
        <button type="submit" className="btn-success">Approve</button>
      </Form>
      <Form method="post" {...getFormProps(reject)} className="flex flex-wrap items-end gap-2 border-t border-gray-100 pt-4">
        <FormHead form={reject} />
        <input type="hidden" name="coInvestmentId" value={id} />
        <div className="min-w-64 flex-1">
          <ConformField label="Reason (rejecting lets the partner resubmit; declining is final)" meta={j.reason}><input {...conformInput(j.reason)} /></ConformField>
        </div>
        <button name="intent" value="reject" className="btn-danger">Reject</button>
        <button name="intent" value="decline" className="btn-secondary">Decline for good</button>
      </Form>
    </>
  )
}

/** approve the claim (the amount to reimburse) or reject it */
function ClaimForms({ request: r }: { request: Request }) {
  const actionData = useActionData<typeof action>()
  const id = r.coInvestmentId
  const [approve, a] = useSchemaForm({
    id: 'approve-claim', schema: ApproveClaimForm, lastResult: replyFor(actionData, { intent: 'approve-claim', coInvestmentId: id }),
    defaultValue: { amount: String(r.claim?.claimableAmount ?? '') },
  })
  const [reject, j] = useSchemaForm({ id: 'reject-claim', schema: RejectClaimForm, lastResult: replyFor(actionData, { intent: 'reject-claim', coInvestmentId: id }) })
  return (
    <>
      <Form method="post" {...getFormProps(approve)} className="flex flex-wrap items-end gap-2">
        <FormHead form={approve} intent="approve-claim" />
        <input type="hidden" name="coInvestmentId" value={id} />
        <ConformField label={`Reimburse (${r.currency})`} meta={a.amount}><input {...withClass(conformInput(a.amount), 'w-36')} inputMode="decimal" /></ConformField>
        <button type="submit" className="btn-success">Approve claim</button>
      </Form>
      <Form method="post" {...getFormProps(reject)} className="flex flex-wrap items-end gap-2 border-t border-gray-100 pt-4">
        <FormHead form={reject} intent="reject-claim" />
        <input type="hidden" name="coInvestmentId" value={id} />
        <div className="min-w-64 flex-1">
          <ConformField label="What is wrong with the claim" meta={j.reason}><input {...conformInput(j.reason)} /></ConformField>
        </div>
        <button type="submit" className="btn-danger">Reject claim</button>
      </Form>
    </>
  )
}
