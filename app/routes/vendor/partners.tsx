import { Form, Link, useLoaderData, useSearchParams } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partners'
import { requireUser } from '../../auth.server.ts'
import { stageLabels } from '../../components/partner-story.tsx'
import { Badge, DateText, EmptyState, PageHeader } from '../../components/ui.tsx'
import { countOf, formatCount, formatMoney } from '../../format.ts'
import { parseSearch, QueryText } from '../../params.server.ts'
import { asOfFrom } from '../../audit.server.ts'
import { insightsAt } from '../../partner-views.server.ts'
import type { PartnerRow } from '../../queries/insights.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Partners · Partnerlog' }]

const columns = [
  { key: 'company', label: 'Partner' },
  { key: 'tier', label: 'Tier' },
  { key: 'phase', label: 'Phase' },
  { key: 'stage', label: 'Pyramid' },
  { key: 'composite', label: 'Score', numeric: true },
  { key: 'trust', label: 'Trust', numeric: true },
  { key: 'lifetimeValue', label: 'Lifetime value', numeric: true },
  { key: 'lastActivityAt', label: 'Last activity' },
] as const
type SortKey = (typeof columns)[number]['key']
const phaseOrder = ['interest', 'recruitment', 'activation', 'investment', 'devotion']
const stageOrder = ['transactional', 'enhanced', 'collaborative', 'partnership']

function sortValue(row: PartnerRow, key: SortKey): string | number {
  switch (key) {
    case 'phase': return phaseOrder.indexOf(row.phase)
    case 'stage': return row.stage ? stageOrder.indexOf(row.stage) : -1
    case 'composite': case 'trust': case 'lifetimeValue': return row[key] ?? Number.NEGATIVE_INFINITY
    case 'company': return row.company.toLowerCase()
    default: return row[key] ?? ''
  }
}

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'partner:read-all')
  const auditor = user.role === 'auditor'
  const asOf = auditor ? asOfFrom(await services.sessions.get(request)) : null
  const search = parseSearch({
    q: QueryText(200).optional(), tier: QueryText(40).optional(), phase: QueryText(40).optional(), stage: QueryText(40).optional(),
    sort: z.enum(columns.map((c) => c.key) as [SortKey, ...SortKey[]]).optional(), dir: z.enum(['asc', 'desc']).optional(),
  }, url)
  const filters = { q: search.q ?? '', tier: search.tier ?? '', phase: search.phase ?? '', stage: search.stage ?? '' }
  const sort: SortKey = search.sort ?? 'composite'
  const dir = search.dir ?? 'desc'
  const all = (await insightsAt(services, asOf)).table()
  const rows = all
    .filter((r) => !filters.q || r.company.toLowerCase().includes(filters.q.toLowerCase()))
    .filter((r) => !filters.tier || r.tier === filters.tier)
    .filter((r) => !filters.phase || r.phase === filters.phase)
    .filter((r) => !filters.stage || r.stage === filters.stage)
    .sort((a, b) => {
      const x = sortValue(a, sort)
      const y = sortValue(b, sort)
      const order = x < y ? -1 : x > y ? 1 : a.company.localeCompare(b.company)
      return dir === 'asc' ? order : -order
    })
  const tiers = [...new Set(all.map((r) => r.tier).filter((t): t is string => !!t))].sort()
  return { rows, total: all.length, filters, sort, dir, tiers, auditor, currency: 'EUR' }
}

export default function Partners() {
  const { rows, total, filters, sort, dir, tiers, auditor, currency } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const base = auditor ? '/audit/partners' : '/vendor/partners'
  const sortLink = (key: SortKey) => {
    const next = new URLSearchParams(params)
    next.set('sort', key)
    next.set('dir', sort === key && dir === 'desc' ? 'asc' : 'desc')
    return `?${next}`
  }
  return (
    <div>
      <PageHeader
        title="Partners"
        description="Every partner of the program: where it stands, how it scores, what it is worth. Select a column to sort."
        actions={auditor ? undefined : (
          <>
            <Link to="/vendor/applications" className="btn-secondary no-underline">Applications</Link>
            <Link to="/vendor/accounts" className="btn-secondary no-underline">Direct accounts</Link>
          </>
        )}
      />
      <Form method="get" className="card mb-4 grid gap-3 p-4 sm:grid-cols-5" role="search" aria-label="Filter partners">
        <input type="hidden" name="sort" value={sort} />
        <input type="hidden" name="dir" value={dir} />
        <div className="sm:col-span-2"><label htmlFor="q" className="label">Name</label><input id="q" name="q" type="search" defaultValue={filters.q} className="input mt-1" placeholder="Northwind" /></div>
        <div><label htmlFor="tier" className="label">Tier</label>
          <select id="tier" name="tier" defaultValue={filters.tier} className="input mt-1"><option value="">All tiers</option>{tiers.map((t) => <option key={t} value={t}>{t}</option>)}</select></div>
        <div><label htmlFor="phase" className="label">Journey phase</label>
          <select id="phase" name="phase" defaultValue={filters.phase} className="input mt-1"><option value="">All phases</option>{phaseOrder.map((p) => <option key={p} value={p}>{p}</option>)}</select></div>
        <div><label htmlFor="stage" className="label">Pyramid stage</label>
          <select id="stage" name="stage" defaultValue={filters.stage} className="input mt-1"><option value="">All stages</option>{stageOrder.map((s) => <option key={s} value={s}>{stageLabels[s]}</option>)}</select></div>
        <div className="flex items-end gap-2 sm:col-span-5"><button className="btn-primary">Filter</button><Link to={base} className="btn-secondary no-underline">Clear</Link><span className="ml-auto self-center text-sm text-gray-600">{formatCount(rows.length)} of {countOf(total, 'partner')}</span></div>
      </Form>
      {rows.length === 0 ? (
        <EmptyState title={total ? 'No partner matches' : 'No partners yet'} description={total ? 'Widen the filters to see more partners.' : 'Partners appear here when they apply to the program.'}
          action={total || auditor ? undefined : <Link to="/vendor/applications" className="btn-primary no-underline">See applications</Link>} />
      ) : (
        <div className="card overflow-x-auto">
          <table className="table-base">
            <thead className="bg-gray-50">
              <tr>
                {columns.map((c) => (
                  <th key={c.key} scope="col" className={`th ${'numeric' in c ? 'num' : ''}`} aria-sort={sort === c.key ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                    <Link to={sortLink(c.key)} className="text-gray-600 no-underline hover:text-gray-900">{c.label}{sort === c.key ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</Link>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {rows.map((r) => (
                <tr key={r.partnerId} className="hover:bg-gray-50">
                  <td className="td"><Link to={`${base}/${r.partnerId}`} className="font-medium">{r.company}</Link>{r.status !== 'approved' ? <span className="ml-2"><Badge tone={r.status === 'rejected' ? 'red' : 'amber'}>{r.status}</Badge></span> : null}</td>
                  <td className="td capitalize">{r.tier ?? '—'}</td>
                  <td className="td capitalize">{r.phase}</td>
                  <td className="td">{r.stage ? stageLabels[r.stage] : '—'}</td>
                  <td className="td num">{r.composite != null ? Math.round(r.composite) : '—'}{r.trend != null && r.trend !== 0 ? <span className={`ml-1 text-xs ${r.trend > 0 ? 'text-green-800' : 'text-red-800'}`}>{r.trend > 0 ? '▲' : '▼'}</span> : null}</td>
                  <td className="td num">{r.trust != null ? Math.round(r.trust) : '—'}</td>
                  <td className="td num">{r.lifetimeValue != null ? formatMoney(r.lifetimeValue, currency) : '—'}</td>
                  <td className="td">{r.lastActivityAt ? <DateText iso={r.lastActivityAt} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
