// One co-investment as the vendor and the auditor see it: facts, evidence, history, and the vendor's decisions.
import { randomUUID } from 'node:crypto'
import { data, Form, Link, useActionData, useLoaderData } from 'react-router'
import type { Route } from './+types/vendor-fund'
import { parseParams, RouteId } from '../../params.server.ts'
import { addDays } from '../../../domain/shared/time.ts'
import { requireUser } from '../../auth.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { FormError, formatMoney, PageHeader } from '../../components/ui.tsx'
import type { FormResult } from '../../forms.server.ts'
import { can } from '../../permissions.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import { EvidenceList, FundStatusBadge, History, kindLabels, RequestFacts } from './components.tsx'
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
  const result = useActionData<{ result: FormResult }>()?.result
  const e = (field: string) => result?.fieldErrors[`${field}:${r.coInvestmentId}`]
  const input = (field: string, extra = '') => ({
    id: field, name: field, className: `input ${extra} ${e(field) ? 'input-error' : ''}`,
    'aria-invalid': e(field) ? true : undefined, 'aria-describedby': e(field) ? `${field}-error` : undefined,
  })
  const err = (field: string) => (e(field) ? <p id={`${field}-error`} className="mt-1 text-sm text-red-700">{e(field)}</p> : null)
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={r.activity}
        description={`${partnerName} · ${kindLabels[r.kind]} · ${r.quarter} · ${formatMoney(available, r.currency)} available in the allocation`}
        breadcrumbs={[{ to: '/vendor/funds', label: 'Funds' }, { to: '/vendor/funds/queue', label: 'Queue' }]}
        actions={<FundStatusBadge status={r.status} />}
      />
      <FormError message={result?.formError} />
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
              <Form method="post" noValidate className="grid gap-4 sm:grid-cols-4 sm:items-end">
                <CsrfInput />
                <input type="hidden" name="coInvestmentId" value={r.coInvestmentId} />
                <input type="hidden" name="commandId" value={commandId} />
                <div><label htmlFor="approvedAmount" className="label">Amount ({r.currency})</label><input {...input('approvedAmount', 'mt-1')} inputMode="decimal" defaultValue={String(r.amountRequested)} />{err('approvedAmount')}</div>
                <div><label htmlFor="maxReimbursementPct" className="label">Max reimbursement %</label><input {...input('maxReimbursementPct', 'mt-1')} inputMode="decimal" defaultValue="50" />{err('maxReimbursementPct')}</div>
                <div><label htmlFor="claimDeadline" className="label">Claim deadline</label><input {...input('claimDeadline', 'mt-1')} type="date" min={today} defaultValue={defaultDeadline} />{err('claimDeadline')}</div>
                <button name="intent" value="approve" className="btn-success">Approve</button>
              </Form>
              <Form method="post" noValidate className="flex flex-wrap items-end gap-2 border-t border-gray-100 pt-4">
                <CsrfInput />
                <input type="hidden" name="coInvestmentId" value={r.coInvestmentId} />
                <div className="min-w-64 flex-1"><label htmlFor="reason" className="label">Reason (rejecting lets the partner resubmit; declining is final)</label><input {...input('reason', 'mt-1')} />{err('reason')}</div>
                <button name="intent" value="reject" className="btn-danger">Reject</button>
                <button name="intent" value="decline" className="btn-secondary">Decline for good</button>
              </Form>
            </section>
          ) : null}
          {canDecide && r.status === 'ClaimSubmitted' ? (
            <section className="card space-y-4 p-5" aria-labelledby="claim-title">
              <h2 id="claim-title" className="text-sm font-semibold text-gray-900">Review the claim</h2>
              <Form method="post" noValidate className="flex flex-wrap items-end gap-2">
                <CsrfInput />
                <input type="hidden" name="coInvestmentId" value={r.coInvestmentId} />
                <div><label htmlFor="amount" className="label">Reimburse ({r.currency})</label><input {...input('amount', 'mt-1 w-36')} inputMode="decimal" defaultValue={String(r.claim?.claimableAmount ?? '')} />{err('amount')}</div>
                <button name="intent" value="approve-claim" className="btn-success">Approve claim</button>
              </Form>
              <Form method="post" noValidate className="flex flex-wrap items-end gap-2 border-t border-gray-100 pt-4">
                <CsrfInput />
                <input type="hidden" name="coInvestmentId" value={r.coInvestmentId} />
                <div className="min-w-64 flex-1"><label htmlFor="reason" className="label">What is wrong with the claim</label><input {...input('reason', 'mt-1')} />{err('reason')}</div>
                <button name="intent" value="reject-claim" className="btn-danger">Reject claim</button>
              </Form>
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
        <section className="card p-5" aria-labelledby="history-title">
          <h2 id="history-title" className="mb-3 text-sm font-semibold text-gray-900">History</h2>
          <History request={r} names={names} />
        </section>
      </div>
    </div>
  )
}
