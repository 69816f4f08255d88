import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/home'
import { requireUser } from '../../auth.server.ts'
import { JourneyTrack, nextPhaseNeeds } from '../../components/journey.tsx'
import { DateText, EmptyState, Money, PageHeader, StatusBadge } from '../../components/ui.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Home · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'partner:home')
  const [journey, deals] = await Promise.all([
    services.queries.journey.forPartner(user.organisationId),
    services.queries.deals.forPartner(user.organisationId),
  ])
  const today = services.clock().toISOString().slice(0, 10)
  const in14 = new Date(Date.parse(today) + 14 * 86_400_000).toISOString().slice(0, 10)
  const expiring = deals.filter((d) => d.status === 'Approved' && d.protectedUntil && d.protectedUntil <= in14)
  const waiting = deals.filter((d) => d.status === 'Submitted')
  return { user, journey, expiring, waiting, recent: deals.slice(0, 5), needs: nextPhaseNeeds(journey) }
}

export default function PartnerHome() {
  const { user, journey, expiring, waiting, recent, needs } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <PageHeader title={`Welcome, ${user.name.split(' ')[0]}`} description={`What ${user.organisationName} has going on with the vendor, and what needs you.`}
        actions={<Link to="/partner/deals/new" className="btn-primary no-underline">Register a deal</Link>} />
      <section className="card p-5" aria-labelledby="journey-title">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="journey-title" className="text-sm font-semibold text-gray-900">Your journey</h2>
          {journey ? <span className="text-sm text-gray-600">Since {journey.history.at(-1) ? <DateText iso={journey.history.at(-1)!.at} /> : '—'}: {journey.history.at(-1)?.reason}</span> : null}
        </div>
        <div className="mt-4"><JourneyTrack phase={journey?.phase ?? 'interest'} /></div>
        {needs.length ? (
          <div className="mt-4 text-sm">
            <span className="font-medium text-gray-900">For the next step: </span>
            <span className="text-gray-700">{needs.join(' · ')}</span>
          </div>
        ) : null}
      </section>
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card p-5" aria-labelledby="needs-title">
          <h2 id="needs-title" className="text-sm font-semibold text-gray-900">Needs you</h2>
          {expiring.length === 0 ? (
            <p className="mt-2 text-sm text-gray-600">Nothing urgent: no deal protection ends in the next 14 days.</p>
          ) : (
            <ul className="mt-2 divide-y divide-gray-100">
              {expiring.map((d) => (
                <li key={d.dealId} className="flex items-center justify-between py-2 text-sm">
                  <Link to={`/partner/deals/${d.dealId}`}>{d.customerName}</Link>
                  <span className="text-amber-800">Protection ends <DateText iso={d.protectedUntil!} /></span>
                </li>
              ))}
            </ul>
          )}
          {waiting.length ? <p className="mt-3 text-sm text-gray-700">{waiting.length} registration{waiting.length > 1 ? 's' : ''} waiting for the vendor’s review.</p> : null}
        </section>
        <section className="card p-5" aria-labelledby="recent-title">
          <div className="flex items-center justify-between">
            <h2 id="recent-title" className="text-sm font-semibold text-gray-900">Recent deals</h2>
            <Link to="/partner/deals" className="text-sm">All deals</Link>
          </div>
          {recent.length === 0 ? (
            <div className="mt-3"><EmptyState title="No deals yet" description="Register your first opportunity to protect it." action={<Link to="/partner/deals/new" className="btn-primary no-underline">Register a deal</Link>} /></div>
          ) : (
            <ul className="mt-2 divide-y divide-gray-100">
              {recent.map((d) => (
                <li key={d.dealId} className="flex items-center justify-between gap-3 py-2 text-sm">
                  <Link to={`/partner/deals/${d.dealId}`} className="truncate">{d.customerName}</Link>
                  <span className="flex items-center gap-3"><span className="tabular-nums text-gray-700"><Money value={d.value} currency={d.currency} /></span><StatusBadge status={d.status} /></span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  )
}
