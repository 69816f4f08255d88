// The vendor's Queues page: the oldest waiting deals, requests and claims against their SLA, decided inline through
// the full queue pages' actions (/vendor/deals, /vendor/funds/queue), so this page only reads.
import { Form, Link, useLoaderData } from 'react-router'
import type { Route } from './+types/home'
import { requireUser } from '../../auth.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { ConflictSummary } from '../../components/deal-conflict.tsx'
import { SlaAge } from '../../components/sla.tsx'
import { Badge, EmptyState, formatMoney, Money, PageHeader, TableCard } from '../../components/ui.tsx'
import { itemsSummary } from '../../deal-items.ts'
import { countOf, formatCount } from '../../format.ts'
import { loadQueues } from './home.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Queues · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(request, context.services, 'vendor:home')
  return loadQueues(context.services, user)
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>

function SummaryCard({ label, to, waiting, overdue }: { label: string; to: string; waiting: number; overdue: number }) {
  return (
    <Link to={to} className="card block p-4 no-underline hover:ring-brand-200">
      <div className="text-sm text-gray-600">{label}</div>
      <div className="mt-1 flex items-baseline gap-2">
        <span className="text-3xl font-semibold tabular-nums text-gray-900">{formatCount(waiting)}</span>
        <span className="text-sm text-gray-600">waiting</span>
      </div>
      <div className="mt-1.5">
        {overdue ? <Badge tone="red">{formatCount(overdue)} past the SLA</Badge> : waiting ? <Badge tone="green">All within the SLA</Badge> : <span className="text-sm text-gray-600">Nothing waiting</span>}
      </div>
    </Link>
  )
}

function QueueHeading({ id, title, shown, total, to, linkLabel }: { id: string; title: string; shown: number; total: number; to: string; linkLabel: string }) {
  return (
    <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
      <h2 id={id} className="text-base font-semibold text-gray-900">
        {title} <span className="text-sm font-normal text-gray-600">({shown < total ? `oldest ${shown} of ${formatCount(total)}` : total})</span>
      </h2>
      <Link to={to} className="text-sm">{linkLabel}</Link>
    </div>
  )
}

function RejectForm({ action, idName, id, intent, label, placeholder = 'Reason to reject' }: { action: string; idName: string; id: string; intent: string; label: string; placeholder?: string }) {
  const inputId = `home-${intent}-reason-${id}`
  return (
    <Form method="post" action={action} className="flex items-start gap-1">
      <CsrfInput />
      <input type="hidden" name="returnTo" value="/vendor" />
      <input type="hidden" name={idName} value={id} />
      <label htmlFor={inputId} className="sr-only">Reason for rejecting {label}</label>
      {/* required: the browser asks for the reason before the page is left; the queue page's action checks it again */}
      <input id={inputId} name="reason" required maxLength={500} placeholder={placeholder} className="input w-44" />
      <button name="intent" value={intent} className="btn-danger" aria-label={`Reject ${label}`}>Reject</button>
    </Form>
  )
}

function DealsQueue({ deals, total, now }: { deals: Loaded['deals']; total: number; now: string }) {
  return (
    <section aria-labelledby="deals-title">
      <QueueHeading id="deals-title" title="Deal registrations" shown={deals.length} total={total} to="/vendor/deals" linkLabel={total ? `Open the deal queue (${formatCount(total)})` : 'Open the deal queue'} />
      {deals.length === 0 ? (
        <EmptyState title="No deal registrations waiting" description="When a partner registers a deal it appears here, oldest first, with its age against the review SLA and any conflict flagged." />
      ) : (
        <TableCard columns={[{ label: 'Customer' }, { label: 'Partner' }, { label: 'Value', className: 'num' }, { label: 'Age' }, { label: 'Flags' }, { label: 'Decision' }]}>
              {deals.map((deal) => (
                <tr key={deal.dealId} className="align-top">
                  <td className="td"><Link to={`/vendor/deals/${deal.dealId}`} className="font-medium">{deal.customerName}</Link><div className="text-xs text-gray-600">{deal.customerDomain}{deal.items.length ? ` · ${itemsSummary(deal.items)}` : ''}</div></td>
                  <td className="td whitespace-nowrap"><Link to={`/vendor/partners/${deal.partnerId}`}>{deal.partnerName}</Link></td>
                  <td className="td num"><Money value={deal.value} currency={deal.currency} /></td>
                  <td className="td"><SlaAge since={deal.registeredAt} dueAt={deal.reviewDueAt} now={now} /></td>
                  <td className="td min-w-56">{deal.conflictView ? <ConflictSummary conflict={deal.conflictView} compact /> : <span className="text-gray-500">—</span>}</td>
                  <td className="td">
                    <div className="flex flex-wrap items-start gap-2">
                      {deal.conflictView?.needsConfirmation ? (
                        <Link to={`/vendor/deals/${deal.dealId}#decision`} className="btn-secondary no-underline" aria-label={`Review conflict: ${deal.customerName}`}>Review conflict</Link>
                      ) : (
                        <Form method="post" action="/vendor/deals">
                          <CsrfInput />
                          <input type="hidden" name="returnTo" value="/vendor" />
                          <input type="hidden" name="dealId" value={deal.dealId} />
                          <button name="intent" value="approve" className="btn-success" aria-label={`Approve ${deal.customerName}`}>Approve</button>
                        </Form>
                      )}
                      <RejectForm action="/vendor/deals" idName="dealId" id={deal.dealId} intent="reject" label={deal.customerName} />
                    </div>
                  </td>
                </tr>
              ))}
            </TableCard>
      )}
    </section>
  )
}

function RequestsQueue({ requests, total, now, today, defaultDeadline }: { requests: Loaded['requests']; total: number; now: string; today: string; defaultDeadline: string }) {
  return (
    <section aria-labelledby="requests-title">
      <QueueHeading id="requests-title" title="Co-investment requests" shown={requests.length} total={total} to="/vendor/funds/queue" linkLabel={total ? `Open the funds queue (${formatCount(total)})` : 'Open the funds queue'} />
      {requests.length === 0 ? (
        <EmptyState title="No co-investment requests waiting" description="When a partner asks for MDF or co-op money it appears here, with the amount still available in its allocation, to approve in full or in part." />
      ) : (
        <TableCard columns={[{ label: 'Activity' }, { label: 'Requested', className: 'num' }, { label: 'Available', className: 'num' }, { label: 'Age' }, { label: 'Decision' }]}>
              {requests.map((r) => {
                const fid = (field: string) => `home-${field}-${r.coInvestmentId}`
                return (
                  <tr key={r.coInvestmentId} className="align-top">
                    <td className="td">
                      <Link to={`/vendor/funds/${r.coInvestmentId}`} className="font-medium">{r.activity}</Link>
                      <div className="text-xs text-gray-600">{r.partnerName} · {r.quarter} · pipeline {formatMoney(r.expectedPipeline, r.currency)}</div>
                    </td>
                    <td className="td num"><Money value={r.amountRequested} currency={r.currency} /></td>
                    <td className={`td num ${r.available < r.amountRequested ? 'text-amber-900' : ''}`}><Money value={r.available} currency={r.currency} /></td>
                    <td className="td"><SlaAge since={r.waitingSince} dueAt={r.dueAt} now={now} /></td>
                    <td className="td">
                      <Form method="post" action="/vendor/funds/queue" className="flex flex-wrap items-end gap-2">
                        <CsrfInput />
                        <input type="hidden" name="returnTo" value="/vendor" />
                        <input type="hidden" name="coInvestmentId" value={r.coInvestmentId} />
                        <input type="hidden" name="commandId" value={r.commandId} />
                        <div>
                          <label htmlFor={fid('approvedAmount')} className="block text-xs text-gray-700">Amount</label>
                          <input id={fid('approvedAmount')} name="approvedAmount" inputMode="decimal" required defaultValue={String(Math.min(r.amountRequested, Math.max(r.available, 0)) || r.amountRequested)} className="input w-24" />
                        </div>
                        <div>
                          <label htmlFor={fid('maxReimbursementPct')} className="block text-xs text-gray-700">Max %</label>
                          <input id={fid('maxReimbursementPct')} name="maxReimbursementPct" inputMode="decimal" required defaultValue="50" className="input w-16" />
                        </div>
                        <div>
                          <label htmlFor={fid('claimDeadline')} className="block text-xs text-gray-700">Claim by</label>
                          <input id={fid('claimDeadline')} name="claimDeadline" type="date" required min={today} defaultValue={defaultDeadline} className="input w-36" />
                        </div>
                        <button name="intent" value="approve" className="btn-success" aria-label={`Approve ${r.activity}`}>Approve</button>
                      </Form>
                      <div className="mt-2"><RejectForm action="/vendor/funds/queue" idName="coInvestmentId" id={r.coInvestmentId} intent="reject" label={r.activity} placeholder="What to change" /></div>
                    </td>
                  </tr>
                )
              })}
            </TableCard>
      )}
    </section>
  )
}

function ClaimsQueue({ claims, total, now, mayReview }: { claims: Loaded['claims']; total: number; now: string; mayReview: boolean }) {
  return (
    <section aria-labelledby="claims-title">
      <QueueHeading id="claims-title" title="Claims" shown={claims.length} total={total} to="/vendor/funds/queue#claims-title" linkLabel={total ? `Open the claims queue (${formatCount(total)})` : 'Open the claims queue'} />
      {claims.length === 0 ? (
        <EmptyState title="No claims waiting" description="When a partner files a claim with its invoice and proof of performance it appears here, with the amount it may claim, to reimburse or send back." />
      ) : (
        <TableCard columns={[{ label: 'Activity' }, { label: 'Invoice', className: 'num' }, { label: 'Claimable', className: 'num' }, { label: 'Age' }, { label: 'Decision' }]}>
              {claims.map((r) => {
                const amountId = `home-claim-amount-${r.coInvestmentId}`
                const evidence = r.claim?.evidence.length ?? 0
                return (
                  <tr key={r.coInvestmentId} className="align-top">
                    <td className="td">
                      <Link to={`/vendor/funds/${r.coInvestmentId}`} className="font-medium">{r.activity}</Link>
                      <div className="text-xs text-gray-600">
                        {r.partnerName} · approved {formatMoney(r.approvedAmount ?? 0, r.currency)} at {r.maxReimbursementPct}% · {countOf(evidence, 'evidence file')}{r.claim?.leadCount != null ? ` · ${countOf(r.claim.leadCount, 'lead')}` : ''}
                      </div>
                    </td>
                    <td className="td num"><Money value={r.claim?.invoiceAmount ?? 0} currency={r.currency} /></td>
                    <td className="td num"><Money value={r.claim?.claimableAmount ?? 0} currency={r.currency} /></td>
                    <td className="td"><SlaAge since={r.waitingSince} dueAt={r.dueAt} now={now} /></td>
                    <td className="td">
                      {mayReview ? (
                        <>
                          <Form method="post" action="/vendor/funds/queue" className="flex flex-wrap items-start gap-2">
                            <CsrfInput />
                            <input type="hidden" name="returnTo" value="/vendor" />
                            <input type="hidden" name="coInvestmentId" value={r.coInvestmentId} />
                            <label htmlFor={amountId} className="sr-only">Amount to reimburse for {r.activity}</label>
                            <input id={amountId} name="amount" inputMode="decimal" required defaultValue={String(r.claim?.claimableAmount ?? '')} className="input w-24" />
                            <button name="intent" value="approve-claim" className="btn-success" aria-label={`Approve claim for ${r.activity}`}>Approve</button>
                          </Form>
                          <div className="mt-2"><RejectForm action="/vendor/funds/queue" idName="coInvestmentId" id={r.coInvestmentId} intent="reject-claim" label={`the claim for ${r.activity}`} placeholder="What is wrong" /></div>
                        </>
                      ) : <span className="text-sm text-gray-600">Your role may not review claims.</span>}
                    </td>
                  </tr>
                )
              })}
            </TableCard>
      )}
    </section>
  )
}

export default function VendorHome() {
  const { user, now, sla, today, mayReviewClaims, summary, deals, requests, claims, defaultDeadline } = useLoaderData<typeof loader>()
  const waiting = summary.deals.waiting + summary.requests.waiting + summary.claims.waiting
  const overdue = summary.deals.overdue + summary.requests.overdue + summary.claims.overdue
  return (
    <div className="space-y-8">
      <PageHeader
        title="Queues"
        description={`What partners of ${user.organisationName} are waiting for, oldest first. The review SLA is ${sla} business days; amber is near it, red is past it.`}
      />
      <section aria-label="Summary">
        <p className="sr-only">{formatCount(waiting)} items waiting, {formatCount(overdue)} past the SLA.</p>
        <div className="grid gap-4 sm:grid-cols-3">
          <SummaryCard label="Deal registrations" to="/vendor/deals" {...summary.deals} />
          <SummaryCard label="Co-investment requests" to="/vendor/funds/queue" {...summary.requests} />
          <SummaryCard label="Claims" to="/vendor/funds/queue#claims-title" {...summary.claims} />
        </div>
      </section>
      <DealsQueue deals={deals} total={summary.deals.waiting} now={now} />
      <RequestsQueue requests={requests} total={summary.requests.waiting} now={now} today={today} defaultDeadline={defaultDeadline} />
      <ClaimsQueue claims={claims} total={summary.claims.waiting} now={now} mayReview={mayReviewClaims} />
    </div>
  )
}
