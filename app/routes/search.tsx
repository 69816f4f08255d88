import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/search'
import { requireUser } from '../auth.server.ts'
import { isPartnerRole } from '../permissions.ts'
import { EmptyState, PageHeader, StatusBadge } from '../components/ui.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Search · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services)
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 100)
  const needle = q.toLowerCase()
  if (!needle) return { q, deals: [], partners: [] }
  const partner = isPartnerRole(user.role)
  const deals = (partner ? await services.queries.deals.forPartner(user.organisationId) : user.role === 'auditor' ? [] : await services.queries.deals.all())
    .filter((d) => d.customerName.toLowerCase().includes(needle) || d.customerDomain.includes(needle))
    .slice(0, 20)
  const partners = partner ? [] : (await services.queries.organisations.partners()).filter((p) => p.name.toLowerCase().includes(needle)).slice(0, 20)
  return { q, deals: deals.map((d) => ({ ...d, href: partner ? `/partner/deals/${d.dealId}` : `/vendor/deals` })), partners }
}

export default function Search() {
  const { q, deals, partners } = useLoaderData<typeof loader>()
  return (
    <div className="max-w-3xl">
      <PageHeader title="Search" description={q ? `Results for “${q}”` : 'Find deals and partners by name.'} />
      {deals.length === 0 && partners.length === 0 ? (
        <EmptyState title={q ? 'Nothing found' : 'Type in the search box'} description="Search looks at deal customers and domains, and (for the vendor) partner names." />
      ) : (
        <div className="space-y-6">
          {deals.length ? (
            <section><h2 className="mb-2 text-sm font-semibold">Deals</h2><ul className="card divide-y divide-gray-100">{deals.map((d) => (
              <li key={d.dealId} className="flex items-center justify-between px-4 py-2 text-sm"><Link to={d.href}>{d.customerName}</Link><StatusBadge status={d.status} /></li>))}</ul></section>
          ) : null}
          {partners.length ? (
            <section><h2 className="mb-2 text-sm font-semibold">Partners</h2><ul className="card divide-y divide-gray-100">{partners.map((p) => (
              <li key={p.organisationId} className="px-4 py-2 text-sm">{p.name}</li>))}</ul></section>
          ) : null}
        </div>
      )}
    </div>
  )
}
