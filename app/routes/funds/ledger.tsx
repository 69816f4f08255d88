// A partner's co-investment ledger for one quarter with every movement: for the partner itself, the vendor and the auditor.
import { data, Link, useLoaderData } from 'react-router'
import type { Route } from './+types/ledger'
import { parseParams, QuarterParam, RouteId } from '../../params.server.ts'
import { requireUser } from '../../auth.server.ts'
import { isPartnerRole } from '../../permissions.ts'
import { Badge, PageHeader } from '../../components/ui.tsx'
import { fundsQueries } from '../../queries/funds.server.ts'
import { LedgerFigures, MovementsTable } from './components.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Ledger ${data?.ledger.quarter ?? ''} · Partnerlog` }]

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ partnerId: RouteId, quarter: QuarterParam }, params, 'No ledger with this id in your organisation.')
  const { services } = context
  const user = await requireUser(request, services)
  const partner = isPartnerRole(user.role)
  const ledger = await fundsQueries(services.sql).ledger(ids.partnerId, ids.quarter)
  // another partner's ledger is reported as missing, so ids cannot be probed
  if (!ledger || (partner && ledger.partnerId !== user.organisationId)) throw data('No ledger with this id in your organisation.', { status: 404 })
  const organisation = await services.queries.organisations.byId(ledger.partnerId)
  return { ledger, partner, partnerName: organisation?.name ?? ledger.partnerId }
}

export default function Ledger() {
  const { ledger, partner, partnerName } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <PageHeader
        title={`${partnerName} · ${ledger.quarter}`}
        description="Co-investment ledger: every movement of the allocation, with what stayed available after it."
        breadcrumbs={[{ to: partner ? '/partner/funds' : '/vendor/funds', label: 'Funds' }]}
        actions={ledger.status === 'Expired' ? <Badge tone="gray">Expired</Badge> : <Badge tone="green">Open</Badge>}
      />
      <section className="card p-5" aria-label="Figures"><LedgerFigures ledger={ledger} /></section>
      <section className="card" aria-labelledby="movements-title">
        <h2 id="movements-title" className="px-5 pt-4 pb-2 text-sm font-semibold text-gray-900">Movements ({ledger.movements.length})</h2>
        <MovementsTable movements={ledger.movements} currency={ledger.currency} requestHref={(id) => (partner ? `/partner/funds/${id}` : `/vendor/funds/${id}`)} caption={`Every movement of the ${ledger.quarter} ledger`} />
      </section>
      {!partner ? <p className="text-sm"><Link to={`/vendor/funds?quarter=${ledger.quarter}`}>All allocations for {ledger.quarter}</Link></p> : null}
    </div>
  )
}
