// The vendor's allocations: every partner's ledger for a quarter, made from its tier by the scheduler (the tiers'
// amounts are program settings); a partner's allocation is changed, with a reason, on its ledger page.
import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/vendor-funds'
import { nextQuarter, quarterStart } from '../../../domain/allocations/tier-allocation.ts'
import { quarterOf } from '../../../domain/shared/time.ts'
import { requireUser } from '../../auth.server.ts'
import { Badge, DateText, EmptyState, formatMoney, Money, PageHeader } from '../../components/ui.tsx'
import { countOf, formatCount } from '../../format.ts'
import { parseSearch, QuarterParam } from '../../params.server.ts'
import { can } from '../../permissions.ts'
import { fundsQueries } from '../../queries/funds.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Funds · Partnerlog' }]


export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'partner:read-all')
  const queries = fundsQueries(services.sql)
  const now = services.clock().toISOString()
  const current = quarterOf(now)
  const quarter = parseSearch({ quarter: QuarterParam.optional() }, url).quarter ?? current
  const [partners, ledgers, settings, waiting, tiers] = await Promise.all([
    // only partners in the program get an allocation: not a company whose application waits or was refused
    services.queries.organisations.approvedPartners(), queries.ledgersFor(quarter), queries.settings(now), queries.waitingCount(), queries.tiers(),
  ])
  const byPartner = Object.fromEntries(ledgers.map((l) => [l.partnerId, l]))
  const rows = partners.map((p) => {
    const tier = tiers[p.organisationId] ?? null
    return { partnerId: p.organisationId, name: p.name, tier, defaultAmount: tier ? settings.fundAllocationByTier[tier] ?? 0 : 0, ledger: byPartner[p.organisationId] ?? null }
  })
  const tierList = [...settings.tiers].sort((a, b) => a.rank - b.rank).map((t) => ({ name: t.name, amount: settings.fundAllocationByTier[t.name] ?? 0 }))
  const totals = ledgers.reduce((t, l) => ({ allocated: t.allocated + l.allocated, committed: t.committed + l.approved + l.claimed + l.paid, available: t.available + l.available }), { allocated: 0, committed: 0, available: 0 })
  return {
    rows, quarter, current, quarters: [current, nextQuarter(current)], currency: settings.fundCurrency, tierList, totals, startsOn: quarterStart(quarter),
    waiting, canAllocate: can(user.role, 'funds:allocate'), canEditTiers: can(user.role, 'settings:manage'),
  }
}

export default function VendorFunds() {
  const { rows, quarter, current, quarters, currency, tierList, totals, waiting, canAllocate, canEditTiers, startsOn } = useLoaderData<typeof loader>()
  const tierName = (t: string) => t.charAt(0).toUpperCase() + t.slice(1)
  return (
    <div className="space-y-6">
      <PageHeader
        title="Funds"
        description={`Co-investment allocations per partner for ${quarter}, made from each partner's tier when the quarter starts (or when it joins).`}
        actions={<Link to="/vendor/funds/queue" className="btn-primary no-underline">Queue{waiting ? ` (${formatCount(waiting)} waiting)` : ''}</Link>}
      />
      <section className="card p-5" aria-labelledby="by-tier-title">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="by-tier-title" className="text-sm font-semibold text-gray-900">Allocation per quarter, by tier</h2>
          <Link to="/vendor/settings#tiers" className="text-sm">{canEditTiers ? 'Change in program settings' : 'Program settings'}</Link>
        </div>
        <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
          {tierList.map((t) => (
            <div key={t.name} className="rounded-md bg-gray-50 p-3">
              <dt className="text-xs font-medium text-gray-600">{tierName(t.name)}</dt>
              <dd className="mt-1 text-base font-semibold tabular-nums text-gray-900">{formatMoney(t.amount, currency)}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-3 text-xs text-gray-600">A partner that joins during a quarter gets the share of the days left; a tier change counts from the next quarter. Each allocation can be changed on its ledger, with a reason.</p>
      </section>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Quarter" className="flex gap-1">
          {[...new Set([...quarters, quarter])].sort().map((q) => (
            <Link key={q} to={`/vendor/funds?quarter=${q}`} aria-current={q === quarter ? 'page' : undefined} className={`rounded-md px-3 py-1.5 text-sm font-medium no-underline ${q === quarter ? 'bg-brand-50 text-brand-800' : 'text-gray-700 hover:bg-gray-100'}`}>
              {q}{q === current ? ' (current)' : ''}
            </Link>
          ))}
        </nav>
        <dl className="flex gap-6 text-sm">
          <div><dt className="text-gray-600">Allocated</dt><dd className="font-semibold tabular-nums">{formatMoney(totals.allocated, currency)}</dd></div>
          <div><dt className="text-gray-600">Committed</dt><dd className="font-semibold tabular-nums">{formatMoney(totals.committed, currency)}</dd></div>
          <div><dt className="text-gray-600">Available</dt><dd className="font-semibold tabular-nums">{formatMoney(totals.available, currency)}</dd></div>
        </dl>
      </div>
      {rows.length === 0 ? (
        <EmptyState title="No partners yet" description="Approved partners appear here with their quarterly allocation." action={<Link to="/vendor/partners" className="btn-primary no-underline">Partners</Link>} />
      ) : (
        <div className="card overflow-x-auto">
          <table className="table-base">
            <thead className="bg-gray-50">
              <tr>
                <th scope="col" className="th">Partner</th>
                <th scope="col" className="th">Tier</th>
                <th scope="col" className="th num">Allocated</th>
                <th scope="col" className="th num">Approved</th>
                <th scope="col" className="th num">Claimed</th>
                <th scope="col" className="th num">Paid</th>
                <th scope="col" className="th num">Available</th>
                {canAllocate ? <th scope="col" className="th"><span className="sr-only">Change</span></th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {rows.map((row) => {
                const l = row.ledger
                const c = l?.currency ?? currency
                return (
                  <tr key={row.partnerId} className="align-top">
                    <td className="td">
                      <div className="font-medium text-gray-900">{row.name}</div>
                      {l ? <Link to={`/funds/ledger/${row.partnerId}/${quarter}`} className="text-xs">Ledger ({countOf(l.movementCount, 'movement')})</Link> : (
                        <span className="text-xs text-gray-600">{quarter > current ? <>From its tier on <DateText iso={startsOn} /></> : 'Being allocated from its tier'}</span>
                      )}
                    </td>
                    <td className="td">{row.tier ? <Badge tone="gray">{row.tier}</Badge> : '—'}</td>
                    <td className="td num">{l ? <Money value={l.allocated} currency={c} /> : <span className="text-gray-600" title="What its tier gives a quarter">{formatMoney(row.defaultAmount, c)}</span>}</td>
                    <td className="td num">{l ? <Money value={l.approved} currency={c} /> : '—'}</td>
                    <td className="td num">{l ? <Money value={l.claimed} currency={c} /> : '—'}</td>
                    <td className="td num">{l ? <Money value={l.paid} currency={c} /> : '—'}</td>
                    <td className="td num font-semibold">{l ? (l.status === 'Expired' ? <Badge tone="gray">Expired</Badge> : <Money value={l.available} currency={c} />) : '—'}</td>
                    {canAllocate ? (
                      <td className="td">
                        {l?.status === 'Open' ? (
                          <Link to={`/funds/ledger/${row.partnerId}/${quarter}#change`} className="btn-secondary no-underline" aria-label={`Change ${row.name}'s allocation`}>Change</Link>
                        ) : <span className="text-xs text-gray-600">{l ? 'Quarter closed' : '—'}</span>}
                      </td>
                    ) : null}
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
