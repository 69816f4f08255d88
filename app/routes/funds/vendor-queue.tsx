// The vendor's funds queues: co-investment requests, claims and payments waiting, oldest first, with age against the SLA.
import { randomUUID } from 'node:crypto'
import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/vendor-queue'
import { addBusinessDays, addDays } from '../../../domain/shared/time.ts'
import { ledgerKey, type FundRequestDoc } from '../../../projections/funds.ts'
import { requireUser } from '../../auth.server.ts'
import { Pager } from '../../components/pager.tsx'
import { SlaAge } from '../../components/sla.tsx'
import { EmptyState, formatMoney, Money, PageHeader, TableCard } from '../../components/ui.tsx'
import { formatCount } from '../../format.ts'
import { onRealPages, requestedPage, type Paged } from '../../paging.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import { EvidenceList, kindLabels } from './components.tsx'
import { BulkForm, ClaimDecision, PayDecision, RequestDecision } from './queue-forms.tsx'
import { vendorFundsAction } from './vendor-actions.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Funds queue · Partnerlog' }]

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'coinvest:review')
  const queries = fundsQueries(services.sql)
  const now = services.clock().toISOString()
  // each queue pages on its own: ?requests=2&claims=3
  const [requests, claims, payments, settings] = await Promise.all([
    queries.requestQueue({ page: requestedPage(url, 'requests') }),
    queries.claimQueue({ page: requestedPage(url, 'claims') }),
    queries.paymentQueue({ page: requestedPage(url, 'payments') }),
    queries.settings(now),
  ])
  onRealPages(url, { requests, claims, payments })
  const [names, ledgers] = await Promise.all([
    services.queries.organisations.names([...requests.rows, ...claims.rows, ...payments.rows].map((r) => r.partnerId)),
    queries.availableIn(requests.rows),
  ])
  const sla = settings.reviewSlaBusinessDays
  const withAge = (r: FundRequestDoc) => ({ ...r, partnerName: names[r.partnerId] ?? r.partnerId, dueAt: addBusinessDays(r.waitingSince, sla), available: ledgers[ledgerKey(r.partnerId, r.quarter)] ?? 0 })
  const paged = (queue: Paged<FundRequestDoc>) => ({ ...queue, rows: queue.rows.map(withAge) })
  return {
    requests: paged(requests), claims: paged(claims), payments: paged(payments), now, sla,
    defaultDeadline: addDays(now, settings.claimDeadlineDays), today: now.slice(0, 10), commandId: randomUUID(),
  }
}

export async function action({ request, context }: Route.ActionArgs) {
  return vendorFundsAction(request, context.services, '/vendor/funds/queue')
}

export default function FundsQueue() {
  const { requests: requestQueue, claims: claimQueue, payments: paymentQueue, now, sla, defaultDeadline, today, commandId } = useLoaderData<typeof loader>()
  const [requests, claims, payments] = [requestQueue.rows, claimQueue.rows, paymentQueue.rows]
  return (
    <div className="space-y-8">
      <PageHeader
        title="Funds queue"
        description={`Co-investment requests and claims waiting for you, oldest first. The review SLA is ${sla} business days.`}
        breadcrumbs={[{ to: '/vendor/funds', label: 'Funds' }]}
      />

      <section aria-labelledby="requests-title">
        <h2 id="requests-title" className="mb-2 text-base font-semibold text-gray-900">Requests <span className="text-sm font-normal text-gray-600">({formatCount(requestQueue.total)})</span></h2>
        {requests.length === 0 ? (
          <EmptyState title="No requests waiting" description="Co-investment requests from partners appear here for approval in full or in part." />
        ) : (
          <TableCard columns={[{ label: 'Activity' }, { label: 'Requested', className: 'num' }, { label: 'Available', className: 'num' }, { label: 'Age' }, { label: 'Decision' }]}>
            {requests.map((r) => (
              <tr key={r.coInvestmentId} className="align-top">
                <td className="td">
                  <Link to={`/vendor/funds/${r.coInvestmentId}`} className="font-medium">{r.activity}</Link>
                  <div className="text-xs text-gray-600">{r.partnerName} · {kindLabels[r.kind]} · {r.quarter}</div>
                  <div className="text-xs text-gray-600">Cost {formatMoney(r.totalCost, r.currency)} · own {formatMoney(r.partnerInvestment, r.currency)} · pipeline {formatMoney(r.expectedPipeline, r.currency)}</div>
                </td>
                <td className="td num"><Money value={r.amountRequested} currency={r.currency} /></td>
                <td className={`td num ${r.available < r.amountRequested ? 'text-amber-900' : ''}`}><Money value={r.available} currency={r.currency} /></td>
                <td className="td"><SlaAge since={r.waitingSince} dueAt={r.dueAt} now={now} /></td>
                <td className="td">
                  <RequestDecision row={r} defaultAmount={Math.min(r.amountRequested, Math.max(r.available, 0)) || r.amountRequested} defaultDeadline={defaultDeadline} today={today} commandId={commandId} />
                </td>
              </tr>
            ))}
          </TableCard>
        )}
        <Pager className="mt-3" list={requestQueue} label="Request pages" param="requests" anchor="requests-title" order="oldest first" />
      </section>

      <section aria-labelledby="claims-title">
        <h2 id="claims-title" className="mb-2 text-base font-semibold text-gray-900">Claims <span className="text-sm font-normal text-gray-600">({formatCount(claimQueue.total)})</span></h2>
        {claims.length === 0 ? (
          <EmptyState title="No claims waiting" description="Claims with proof of performance appear here once partners file them." />
        ) : (
          <>
            <BulkForm id="bulk-claims" intent="approve-claims" anchor="claims-title" />
            <TableCard columns={[{ label: <><span className="sr-only">Select</span></>, className: 'w-8' }, { label: 'Activity' }, { label: 'Invoice', className: 'num' }, { label: 'Claimable', className: 'num' }, { label: 'Evidence' }, { label: 'Age' }, { label: 'Decision' }]}>
              {claims.map((r) => (
                <tr key={r.coInvestmentId} className="align-top">
                  <td className="td"><input type="checkbox" name="selected" value={r.coInvestmentId} form="bulk-claims" aria-label={`Select claim for ${r.activity}`} /></td>
                  <td className="td"><Link to={`/vendor/funds/${r.coInvestmentId}`} className="font-medium">{r.activity}</Link><div className="text-xs text-gray-600">{r.partnerName} · approved {formatMoney(r.approvedAmount ?? 0, r.currency)} at {r.maxReimbursementPct}%{r.claim?.leadCount != null ? ` · ${r.claim.leadCount} leads` : ''}</div></td>
                  <td className="td num"><Money value={r.claim?.invoiceAmount ?? 0} currency={r.currency} /></td>
                  <td className="td num"><Money value={r.claim?.claimableAmount ?? 0} currency={r.currency} /></td>
                  <td className="td"><EvidenceList request={r} /></td>
                  <td className="td"><SlaAge since={r.waitingSince} dueAt={r.dueAt} now={now} /></td>
                  <td className="td"><ClaimDecision row={r} claimable={r.claim?.claimableAmount ?? null} /></td>
                </tr>
              ))}
            </TableCard>
            <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
              <Pager list={claimQueue} label="Claim pages" param="claims" anchor="claims-title" order="oldest first" />
              <button type="submit" form="bulk-claims" name="intent" value="approve-claims" className="btn-secondary ml-auto">Approve selected claims in full</button>
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="payments-title">
        <h2 id="payments-title" className="mb-2 text-base font-semibold text-gray-900">Payments due <span className="text-sm font-normal text-gray-600">({formatCount(paymentQueue.total)})</span></h2>
        {payments.length === 0 ? (
          <EmptyState title="No payments due" description="Approved claims wait here until you mark them paid." />
        ) : (
          <>
            <BulkForm id="bulk-pay" intent="pay-selected" anchor="payments-title" />
            <TableCard columns={[{ label: <><span className="sr-only">Select</span></>, className: 'w-8' }, { label: 'Activity' }, { label: 'Partner' }, { label: 'To pay', className: 'num' }, { label: 'Action' }]}>
              {payments.map((r) => (
                <tr key={r.coInvestmentId}>
                  <td className="td"><input type="checkbox" name="selected" value={r.coInvestmentId} form="bulk-pay" aria-label={`Select payment for ${r.activity}`} /></td>
                  <td className="td"><Link to={`/vendor/funds/${r.coInvestmentId}`} className="font-medium">{r.activity}</Link></td>
                  <td className="td">{r.partnerName}</td>
                  <td className="td num"><Money value={r.claim?.approvedAmount ?? 0} currency={r.currency} /></td>
                  <td className="td"><PayDecision row={r} /></td>
                </tr>
              ))}
            </TableCard>
            <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
              <Pager list={paymentQueue} label="Payment pages" param="payments" anchor="payments-title" order="oldest first" />
              <button type="submit" form="bulk-pay" name="intent" value="pay-selected" className="btn-secondary ml-auto">Mark selected paid</button>
            </div>
          </>
        )}
      </section>
    </div>
  )
}
