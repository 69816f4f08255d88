import { useLoaderData } from 'react-router'
import type { Route } from './+types/partners'
import { requireUser } from '../../auth.server.ts'
import { EmptyState, PageHeader } from '../../components/ui.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Partners · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'partner:read-all')
  const [partners, journeys, deals] = await Promise.all([
    services.queries.organisations.partners(),
    services.queries.journey.all(),
    services.queries.deals.all(),
  ])
  const phase = Object.fromEntries(journeys.map((j) => [j.partnerId, j.phase]))
  return {
    partners: partners.map((p) => ({
      ...p,
      phase: phase[p.organisationId] ?? 'interest',
      deals: deals.filter((d) => d.partnerId === p.organisationId).length,
      approved: deals.filter((d) => d.partnerId === p.organisationId && ['Approved', 'Won'].includes(d.status)).length,
    })),
  }
}

export default function Partners() {
  const { partners } = useLoaderData<typeof loader>()
  return (
    <div>
      <PageHeader title="Partners" description="Every partner organisation in the program and where it stands." />
      {partners.length === 0 ? (
        <EmptyState title="No partners yet" description="Partners appear here when they apply to the program." />
      ) : (
        <div className="card overflow-x-auto">
          <table className="table-base">
            <thead className="bg-gray-50"><tr><th scope="col" className="th">Partner</th><th scope="col" className="th">Journey phase</th><th scope="col" className="th num">Deals</th><th scope="col" className="th num">Approved or won</th></tr></thead>
            <tbody className="divide-y divide-gray-100">
              {partners.map((p) => (
                <tr key={p.organisationId}><td className="td font-medium">{p.name}</td><td className="td capitalize">{p.phase}</td><td className="td num">{p.deals}</td><td className="td num">{p.approved}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
