// The partner's funds: this quarter's ledger with what is available, claims due, and every request with its next step.
import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/partner-funds'
import { quarterOf } from '../../../domain/shared/time.ts'
import { requireUser } from '../../auth.server.ts'
import { Pager } from '../../components/pager.tsx'
import { TierProgressCard } from '../../components/tier-progress.tsx'
import { Badge, DateText, EmptyState, Money, PageHeader, TableCard } from '../../components/ui.tsx'
import { formatCount } from '../../format.ts'
import { onRealPages, pageRange, requestedPage } from '../../paging.ts'
import { fundsQueries } from '../../queries/funds.server.ts'
import { FundStatusBadge, kindLabels, LedgerFigures, MovementsTable, partnerNextAction } from './components.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Funds · Partnerlog' }]

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'coinvest:request')
  const queries = fundsQueries(services.sql)
  const now = services.clock().toISOString()
  const quarter = quarterOf(now)
  // the claims due are a work list, read whole; the requests grow by the quarter without end, read a page at a time
  const [ledger, requests, claimsDue, ledgers, tier] = await Promise.all([
    queries.ledger(user.organisationId, quarter),
    queries.requestsOf(user.organisationId, { page: requestedPage(url) }),
    queries.claimsDueOf(user.organisationId),
    queries.ledgersOf(user.organisationId),
    queries.tierProgressOf(user.organisationId, now),
  ])
  onRealPages(url, { page: requests })
  return { ledger, requests, claimsDue, quarter, today: now.slice(0, 10), partnerId: user.organisationId, quarters: ledgers.map((l) => l.quarter), tier }
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

export default function PartnerFunds() {
  const { ledger, requests, claimsDue, quarter, today, partnerId, quarters, tier } = useLoaderData<typeof loader>()
  const { from, to } = pageRange(requests)
  const shown = requests.total > requests.size ? `; these are ${formatCount(from)}–${formatCount(to)}` : ''
  return (
    <div className="space-y-6">
      <PageHeader
        title="Funds"
        description={`Co-investment from your ${quarter} allocation: request it, run the activity, claim it back with proof.`}
        actions={<Link to="/partner/funds/new" className="btn-primary no-underline">Request co-investment</Link>}
      />

      <TierProgressCard progress={tier} thisQuarter={ledger ? { quarter, allocated: ledger.allocated, currency: ledger.currency } : null} />

      <section className="card p-5" aria-labelledby="ledger-title">
        <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="ledger-title" className="text-sm font-semibold text-gray-900">Ledger · {quarter}</h2>
          <div className="flex flex-wrap gap-3 text-sm">
            {quarters.map((q) => <Link key={q} to={`/funds/ledger/${partnerId}/${q}`}>{q === quarter ? 'Full ledger' : q}</Link>)}
          </div>
        </div>
        {ledger ? (
          <>
            <LedgerFigures ledger={ledger} />
            <h3 className="mt-6 mb-2 text-sm font-semibold text-gray-900">Latest movements</h3>
            <MovementsTable movements={ledger.movements.slice(-8)} currency={ledger.currency} requestHref={(id) => `/partner/funds/${id}`} caption={`Latest movements of the ${quarter} ledger`} />
          </>
        ) : (
          <p className="text-sm text-gray-700">No funds are allocated to you for {quarter} yet: your tier’s allocation is made within minutes of the quarter’s start (or of your approval).</p>
        )}
      </section>

      <section aria-labelledby="due-title">
        <h2 id="due-title" className="mb-2 text-sm font-semibold text-gray-900">Claims due</h2>
        {claimsDue.length === 0 ? (
          <p className="card px-5 py-4 text-sm text-gray-700">No claims due. Approved co-investments appear here until you claim them with proof of performance.</p>
        ) : (
          <ul className="card divide-y divide-gray-100">
            {claimsDue.map((r) => {
              const left = daysBetween(today, r.claimDeadline!)
              return (
                <li key={r.coInvestmentId} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
                  <div>
                    <Link to={`/partner/funds/${r.coInvestmentId}`} className="font-medium">{r.activity}</Link>
                    <div className="text-xs text-gray-600">Approved <Money value={r.approvedAmount ?? 0} currency={r.currency} /> · up to {r.maxReimbursementPct}% of the invoice</div>
                  </div>
                  <div className="flex items-center gap-3">
                    <Badge tone={left < 0 ? 'red' : left <= 14 ? 'amber' : 'gray'}>{left < 0 ? 'Overdue' : `${left} days left`} · <DateText iso={r.claimDeadline!} /></Badge>
                    <Link to={`/partner/funds/${r.coInvestmentId}#claim`} className="btn-secondary no-underline">File claim</Link>
                  </div>
                </li>
              )
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="requests-title">
        <h2 id="requests-title" className="mb-2 text-sm font-semibold text-gray-900">
          My requests{requests.total ? <span className="ml-1 font-normal text-gray-600">{formatCount(requests.total)}, newest first{shown}</span> : null}
        </h2>
        {requests.rows.length === 0 ? (
          <EmptyState title="No co-investment requests yet" description="Requests you send for MDF activities, co-op or a co-funded head appear here with their status and what to do next." action={<Link to="/partner/funds/new" className="btn-primary no-underline">Request co-investment</Link>} />
        ) : (
          <TableCard columns={[{ label: 'Activity' }, { label: 'Quarter' }, { label: 'Requested', className: 'num' }, { label: 'Approved', className: 'num' }, { label: 'Status' }, { label: 'Next step' }]}>
                {requests.rows.map((r) => (
                  <tr key={r.coInvestmentId}>
                    <td className="td"><Link to={`/partner/funds/${r.coInvestmentId}`} className="font-medium">{r.activity}</Link><div className="text-xs text-gray-600">{kindLabels[r.kind]}</div></td>
                    <td className="td">{r.quarter}</td>
                    <td className="td num"><Money value={r.amountRequested} currency={r.currency} /></td>
                    <td className="td num">{r.approvedAmount !== null ? <Money value={r.approvedAmount} currency={r.currency} /> : '—'}</td>
                    <td className="td"><FundStatusBadge status={r.status} /></td>
                    <td className="td text-gray-700">{partnerNextAction(r)}</td>
                  </tr>
                ))}
              </TableCard>
        )}
        <Pager className="mt-3" list={requests} label="Request pages" order="newest first" anchor="requests-title" />
      </section>
    </div>
  )
}
