import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/home'
import { requireUser } from '../../auth.server.ts'
import { PageHeader } from '../../components/ui.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Workbench · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'vendor:home')
  const [queue, partners, journeys] = await Promise.all([
    services.queries.deals.queue(),
    services.queries.organisations.partners(),
    services.queries.journey.all(),
  ])
  const now = services.clock().toISOString()
  const overdue = queue.filter((d) => d.reviewDueAt < now).length
  const byPhase: Record<string, number> = {}
  for (const j of journeys) byPhase[j.phase] = (byPhase[j.phase] ?? 0) + 1
  return { user, waiting: queue.length, overdue, partners: partners.length, byPhase }
}

export default function VendorHome() {
  const { user, waiting, overdue, partners, byPhase } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <PageHeader title="Workbench" description={`Queues first: what partners of ${user.organisationName} are waiting for.`} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Link to="/vendor/deals" className="card block p-5 no-underline hover:ring-brand-200">
          <div className="text-sm text-gray-600">Deal registrations waiting</div>
          <div className="mt-1 text-3xl font-semibold tabular-nums text-gray-900">{waiting}</div>
          <div className={`mt-1 text-sm ${overdue ? 'text-red-700' : 'text-gray-600'}`}>{overdue ? `${overdue} past the review SLA` : 'All within SLA'}</div>
        </Link>
        <Link to="/vendor/partners" className="card block p-5 no-underline hover:ring-brand-200">
          <div className="text-sm text-gray-600">Partners</div>
          <div className="mt-1 text-3xl font-semibold tabular-nums text-gray-900">{partners}</div>
          <div className="mt-1 text-sm text-gray-600">{Object.entries(byPhase).map(([phase, n]) => `${n} ${phase}`).join(' · ') || 'No partners yet'}</div>
        </Link>
      </div>
    </div>
  )
}
