import { Form, Link, useLoaderData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-library'
import { requireUser, type CurrentUser } from '../../auth.server.ts'
import { DateText, EmptyState, PageHeader } from '../../components/ui.tsx'
import { formatCount } from '../../format.ts'
import { parseSearch, QueryText } from '../../params.server.ts'
import type { AppServices } from '../../services.server.ts'
import { cachedView } from '../../view-cache.server.ts'
import { brandFrom, enablementQueries, previewOf } from './common.server.ts'
import { AudienceBadge, assetTypeLabels, CobrandPreview, languageLabel, TypeIcon } from './ui.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Library · Partnerlog' }]

const Filter = z.object({
  q: QueryText(200).optional(),
  audience: z.enum(['to_partner', 'thru_partner']).optional(),
  type: QueryText(40).optional(),
  product: QueryText(120).optional(),
  language: QueryText(10).optional(),
})

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  const user = await requireUser(request, services, 'asset:use')
  const filter = parseSearch(Filter.shape, url)
  // the same answer for the same search until a read model changes (or the minute): kept in the view cache
  return cachedView(request, services, user, { name: 'partner-library', args: JSON.stringify(filter) }, (now) => libraryOf(services, user, filter, now))
}

async function libraryOf(services: AppServices, user: CurrentUser, filter: z.infer<typeof Filter>, now: Date) {
  const queries = enablementQueries(services)
  const library = await queries.library(user.organisationId, now.toISOString(), { q: filter.q, audience: filter.audience, assetType: filter.type, product: filter.product, language: filter.language })
  const usage = library.usage
  const brand = brandFrom(library.facts.partner, user)
  const card = (a: (typeof library.assets)[number]) => ({
    assetId: a.assetId, title: a.title, description: a.description, assetType: a.assetType, audience: a.audience, product: a.product,
    language: a.language, updatedAt: a.updatedAt, coBrandable: a.coBrandable, version: a.version,
  })
  const titles = Object.fromEntries(library.assets.map((a) => [a.assetId, a.title]))
  return {
    filter,
    toPartner: library.assets.filter((a) => a.audience === 'to_partner').map(card),
    thruPartner: library.assets.filter((a) => a.audience === 'thru_partner').map(card),
    choices: library.choices,
    total: library.total,
    matching: library.matching,
    brand: previewOf(brand),
    // only what the aside shows: not who in the team used it
    usage: usage ? { totals: usage.totals, recent: usage.recent.slice(0, 6).map((r) => ({ assetId: r.assetId, at: r.at, action: r.action, title: titles[r.assetId] ?? null })) } : null,
  }
}

type Card = Awaited<ReturnType<typeof loader>>['toPartner'][number]

function AssetCard({ asset, brand }: { asset: Card; brand: Awaited<ReturnType<typeof loader>>['brand'] }) {
  const kind = [assetTypeLabels[asset.assetType] ?? asset.assetType, asset.product, languageLabel(asset.language)].filter(Boolean).join(' · ')
  return (
    <li className="card flex gap-4 p-4 transition-shadow focus-within:ring-2 focus-within:ring-brand-600 hover:shadow-md">
      <div className={`flex h-11 w-11 shrink-0 items-center justify-center rounded-lg ${asset.audience === 'thru_partner' ? 'bg-blue-50 text-blue-700' : 'bg-gray-100 text-gray-700'}`}>
        <TypeIcon type={asset.assetType} />
      </div>
      <div className="min-w-0 flex-1">
        <div className="truncate text-xs text-gray-600" title={kind}>{kind}</div>
        <h3 className="mt-0.5 text-sm font-semibold text-gray-900">
          <Link to={`/partner/library/${asset.assetId}`} className="text-gray-900 no-underline hover:underline">{asset.title}</Link>
        </h3>
        <p className="mt-1 line-clamp-1 text-sm text-gray-700" title={asset.description}>{asset.description}</p>
        <div className="mt-2 flex flex-wrap items-center gap-2 text-xs text-gray-600">
          <span>Updated <DateText iso={asset.updatedAt} /></span>
          {asset.version > 1 ? <span>· v{asset.version}</span> : null}
          {asset.coBrandable ? <span className="ml-auto"><span className="inline-flex items-center rounded-md bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-800 ring-1 ring-inset ring-brand-600/30">Co-brand</span></span> : null}
        </div>
      </div>
      {asset.coBrandable ? <CobrandPreview brand={brand} title={asset.title} /> : null}
    </li>
  )
}

function Section({ id, title, description, assets, brand, empty }: { id: string; title: string; description: string; assets: Card[]; brand: Awaited<ReturnType<typeof loader>>['brand']; empty: string }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div className="flex items-baseline justify-between gap-2 border-b border-gray-200 pb-2">
        <div>
          <h2 id={id} className="text-base font-semibold text-gray-900">{title} <span className="ml-1 text-sm font-normal text-gray-600">{assets.length}</span></h2>
          <p className="text-sm text-gray-600">{description}</p>
        </div>
      </div>
      {assets.length === 0 ? <p className="rounded-md bg-white px-4 py-6 text-center text-sm text-gray-600 ring-1 ring-gray-200">{empty}</p> : (
        <ul className="grid gap-3 xl:grid-cols-2">{assets.map((a) => <AssetCard key={a.assetId} asset={a} brand={brand} />)}</ul>
      )}
    </section>
  )
}

export default function Library() {
  const { filter, toPartner, thruPartner, choices, total, matching, brand, usage } = useLoaderData<typeof loader>()
  const listed = toPartner.length + thruPartner.length
  const searching = useNavigation().state === 'loading'
  const filtered = Boolean(filter.q || filter.type || filter.product || filter.language || filter.audience)
  const showTo = filter.audience !== 'thru_partner'
  const showThru = filter.audience !== 'to_partner'
  return (
    <div>
      <PageHeader title="Library" description="Sales and marketing material for you (To-Partner) and for your customers (Thru-Partner), chosen for your organisation." />
      <Form method="get" role="search" aria-label="Search the library" className="card grid gap-3 p-4 md:grid-cols-[minmax(0,2fr)_repeat(4,minmax(0,1fr))_auto] md:items-end">
        <div>
          <label htmlFor="q" className="label">Search</label>
          <input id="q" name="q" type="search" defaultValue={filter.q ?? ''} placeholder="Title, description or tag, e.g. ransomware" className="input mt-1" />
        </div>
        <div>
          <label htmlFor="audience" className="label">For</label>
          <select id="audience" name="audience" defaultValue={filter.audience ?? ''} className="input mt-1">
            <option value="">Everyone</option><option value="to_partner">To-Partner</option><option value="thru_partner">Thru-Partner</option>
          </select>
        </div>
        <div>
          <label htmlFor="type" className="label">Type</label>
          <select id="type" name="type" defaultValue={filter.type ?? ''} className="input mt-1">
            <option value="">All types</option>
            {choices.assetTypes.map((t) => <option key={t} value={t}>{assetTypeLabels[t] ?? t}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="product" className="label">Product</label>
          <select id="product" name="product" defaultValue={filter.product ?? ''} className="input mt-1">
            <option value="">All products</option>
            {choices.products.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="language" className="label">Language</label>
          <select id="language" name="language" defaultValue={filter.language ?? ''} className="input mt-1">
            <option value="">All languages</option>
            {choices.languages.map((l) => <option key={l} value={l}>{languageLabel(l)}</option>)}
          </select>
        </div>
        <div className="flex gap-2">
          <button type="submit" className="btn-primary">{searching ? 'Searching…' : 'Search'}</button>
          {filtered ? <Link to="/partner/library" className="btn-secondary no-underline">Clear</Link> : null}
        </div>
      </Form>
      <p className="mt-3 text-sm text-gray-600" role="status">
        {filtered ? `${formatCount(matching)} of ${formatCount(total)} assets match.` : `${formatCount(total)} assets available to you.`}
        {listed < matching ? ` Showing the first ${formatCount(listed)}, ${filter.q ? 'best match' : 'last updated'} first; refine your search to see the others.` : ''}
      </p>
      {total === 0 ? (
        <div className="mt-4"><EmptyState title="Nothing in your library yet" description="Assets the vendor publishes for your tier, phase, certifications and region appear here. Earn a certification to unlock more." action={<Link to="/partner/training" className="btn-primary no-underline">Browse training</Link>} /></div>
      ) : (
        <div className="mt-4 grid gap-8 lg:grid-cols-[minmax(0,1fr)_16rem]">
          <div className="space-y-8">
            {showTo ? <Section id="to-partner" title="To-Partner" description="Enablement for your own team: sales guides, demo scripts, price lists, training decks." assets={toPartner} brand={brand} empty={filtered ? 'No To-Partner asset matches; try fewer words or clear the filters.' : 'No To-Partner assets yet.'} /> : null}
            {showThru ? <Section id="thru-partner" title="Thru-Partner" description="Material for your customers; the ones marked Co-brand carry your name, logo and colours." assets={thruPartner} brand={brand} empty={filtered ? 'No Thru-Partner asset matches; try fewer words or clear the filters.' : 'No Thru-Partner assets yet.'} /> : null}
          </div>
          <aside aria-labelledby="usage-title" className="card h-fit p-4">
            <h2 id="usage-title" className="text-sm font-semibold text-gray-900">Your use</h2>
            {usage ? (
              <>
                <dl className="mt-3 grid grid-cols-2 gap-2 text-center">
                  {([['viewed', 'Views'], ['downloaded', 'Downloads'], ['cobranded', 'Co-branded'], ['shared', 'Shares']] as const).map(([k, label]) => (
                    <div key={k} className="rounded-md bg-gray-50 p-2"><dt className="text-xs text-gray-600">{label}</dt><dd className="text-lg font-semibold tabular-nums text-gray-900">{usage.totals[k]}</dd></div>
                  ))}
                </dl>
                <ul className="mt-3 space-y-1.5 text-sm">
                  {usage.recent.filter((r) => r.title).map((r) => (
                    <li key={`${r.assetId}-${r.at}-${r.action}`} className="flex justify-between gap-2">
                      <Link to={`/partner/library/${r.assetId}`} className="truncate">{r.title}</Link>
                      <span className="shrink-0 text-xs text-gray-600">{r.action}</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : <p className="mt-2 text-sm text-gray-600">Assets you open, download, co-brand or share are counted here, for your organisation only.</p>}
          </aside>
        </div>
      )}
    </div>
  )
}
