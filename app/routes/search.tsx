// Global search: what the signed-in role may see, grouped (deals, library, partners, …) with counts and status badges.
import { Form, Link, useLoaderData, useNavigation } from 'react-router'
import type { Route } from './+types/search'
import { asOfFrom } from '../audit.server.ts'
import { requireUser } from '../auth.server.ts'
import { Badge, PageHeader, StatusBadge } from '../components/ui.tsx'
import { parseSearch, QueryText } from '../params.server.ts'
import { isPartnerRole, isVendorRole } from '../permissions.ts'
import { createSearchQueries, normaliseQuery, type HitStatus, type SearchGroup } from '../queries/search.server.ts'
import { FundStatusBadge } from './funds/components.tsx'
import { WorkshopStatusBadge } from './engagement/shared.tsx'
import { countOf } from '../format.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.q ? `“${data.q}” · Search · Partnerlog` : 'Search · Partnerlog' }]

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services)
  const q = normaliseQuery(parseSearch({ q: QueryText(500).optional() }, url).q)
  const audience: 'partner' | 'vendor' | 'auditor' = isPartnerRole(user.role) ? 'partner' : isVendorRole(user.role) ? 'vendor' : 'auditor'
  if (!q) return { q, audience, groups: [] as SearchGroup[] }
  const search = createSearchQueries(services.sql)
  let groups: SearchGroup[]
  if (audience === 'partner') {
    // scoped to the signed-in user's organisation: another partner's records never reach this page
    groups = await search.forPartner(user.organisationId, user.userId, services.clock().toISOString(), q)
  } else if (audience === 'vendor') {
    groups = await search.forVendor(q)
  } else {
    const asOf = asOfFrom(await services.sessions.get(request))
    groups = await search.forAuditor(q, asOf)
  }
  return { q, audience, groups: groups.filter((g) => g.total > 0) }
}

const scopes = {
  partner: 'your deals, co-investment requests and workshops, the library and training',
  vendor: 'deals of every partner, partners, co-investment requests, workshops, assets and courses',
  auditor: 'partners, and event types on the timeline (an event id opens that event)',
} as const

type Hint = { text: string; example?: string }
const hints: Record<keyof typeof scopes, Hint[]> = {
  partner: [{ text: 'a customer name or web domain' }, { text: 'a library topic, e.g.', example: 'ransomware' }, { text: 'a course, e.g.', example: 'firewall' }],
  vendor: [{ text: 'a partner, e.g.', example: 'Contoso' }, { text: 'a customer or domain of a deal' }, { text: 'a co-investment activity, e.g.', example: 'webinar' }],
  auditor: [{ text: 'an event type, e.g.', example: 'Approved' }, { text: 'a partner, e.g.', example: 'Northwind' }, { text: 'an event id' }],
}
const placeholders = { partner: 'Customer, asset, course…', vendor: 'Partner, customer, activity…', auditor: 'Partner or event type…' } as const

function HitBadge({ status }: { status?: HitStatus }) {
  if (!status) return null
  switch (status.kind) {
    case 'deal': return <StatusBadge status={status.status} />
    case 'fund': return <FundStatusBadge status={status.status} />
    case 'workshop': return <WorkshopStatusBadge status={status.status} />
    case 'asset': return <Badge tone={status.status === 'Published' ? 'green' : 'red'}>{status.status}</Badge>
    case 'plain': return <Badge tone={status.tone}>{status.label}</Badge>
  }
}

export default function Search() {
  const { q, audience, groups } = useLoaderData<typeof loader>()
  const searching = useNavigation().location?.pathname === '/search'
  const total = groups.reduce((n, g) => n + g.total, 0)
  return (
    <div className="max-w-4xl">
      <PageHeader
        title="Search"
        description={q ? `${total ? countOf(total, 'result') : 'No results'} for “${q}” in ${scopes[audience]}.` : `Find ${scopes[audience]} by name.`}
      />
      <Form method="get" action="/search" role="search" aria-label="Search the portal" className="card mb-6 flex flex-wrap items-end gap-3 p-4">
        <div className="min-w-0 flex-1">
          <label htmlFor="search-q" className="label">Search for</label>
          <input id="search-q" key={q} name="q" type="search" defaultValue={q} maxLength={100} className="input mt-1" placeholder={placeholders[audience]} autoFocus={!q} />
        </div>
        <button type="submit" className="btn-primary" disabled={searching}>{searching ? 'Searching…' : 'Search'}</button>
      </Form>

      {groups.length === 0 ? (
        <div className="card px-6 py-10">
          <h2 className="text-base font-semibold text-gray-900">{q ? `Nothing matches “${q}”` : 'What are you looking for?'}</h2>
          <p className="mt-1 text-sm text-gray-600">
            {q ? 'Check the spelling, or try a shorter part of the name.' : 'Type part of a name; results are grouped by kind, with their status.'} Search looks at {scopes[audience]}. Try:
          </p>
          <ul className="mt-3 flex flex-wrap gap-2 text-sm">
            {hints[audience].map((hint) => (
              <li key={hint.text} className="rounded-md bg-gray-100 px-2.5 py-1 text-gray-700">
                {hint.text}{hint.example ? <> <Link to={`/search?q=${encodeURIComponent(hint.example)}`}>{hint.example}</Link></> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          <nav aria-label="Result groups" className="mb-4 flex flex-wrap gap-2 text-sm">
            {groups.map((g) => (
              <a key={g.key} href={`#group-${g.key}`} className="rounded-full bg-white px-3 py-1 text-gray-700 no-underline ring-1 ring-gray-200 hover:bg-gray-50">
                {g.label} <span className="font-semibold tabular-nums text-gray-900">{g.total}</span>
              </a>
            ))}
          </nav>
          <div className="space-y-6">
            {groups.map((g) => (
              <section key={g.key} id={`group-${g.key}`} aria-labelledby={`group-${g.key}-title`}>
                <div className="mb-2 flex items-baseline justify-between gap-3">
                  <h2 id={`group-${g.key}-title`} className="text-base font-semibold text-gray-900">
                    {g.label} <span className="text-sm font-normal text-gray-600">({g.total > g.hits.length ? `${g.hits.length} of ${g.total}` : g.total})</span>
                  </h2>
                  {g.more ? <Link to={g.more.href} className="text-sm">{g.more.label}</Link> : null}
                </div>
                <ul className="card divide-y divide-gray-100">
                  {g.hits.map((hit) => (
                    <li key={hit.id} className="flex items-start justify-between gap-4 px-4 py-2.5">
                      <div className="min-w-0">
                        <Link to={hit.href} className="font-medium">{hit.title}</Link>
                        <p className="truncate text-sm text-gray-600" title={hit.description}>{hit.description}</p>
                      </div>
                      <div className="shrink-0 pt-0.5"><HitBadge status={hit.status} /></div>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        </>
      )}
    </div>
  )
}
