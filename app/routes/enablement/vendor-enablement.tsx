import { Link, useLoaderData } from 'react-router'
import type { Route } from './+types/vendor-enablement'
import { requireUser } from '../../auth.server.ts'
import { Pager } from '../../components/pager.tsx'
import { Badge, DateText, EmptyState, PageHeader } from '../../components/ui.tsx'
import { formatCount } from '../../format.ts'
import { onRealPages, requestedPage } from '../../paging.ts'
import { zeroUse } from '../../../projections/assets.ts'
import { enablementQueries } from './common.server.ts'
import { AudienceBadge, assetTypeLabels, TypeIcon, useLabels } from './ui.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Enablement · Partnerlog' }]

export async function loader({ request, url, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'asset:publish')
  const queries = enablementQueries(services)
  // the assets a page at a time (a program publishes without end); their use by tier added up over every one of them
  const [assets, byTier, courses, ranks] = await Promise.all([
    queries.allAssets({ page: requestedPage(url) }), queries.usageByTier(), queries.courses(), queries.tierRanks(services.clock().toISOString()),
  ])
  onRealPages(url, { page: assets })
  const tiers = [...new Set([...Object.keys(ranks), ...Object.keys(byTier)])].sort((a, b) => (ranks[a] ?? 99) - (ranks[b] ?? 99))
  return {
    assets: { ...assets, rows: assets.rows.map((a) => ({ assetId: a.assetId, title: a.title, audience: a.audience, assetType: a.assetType, status: a.status, version: a.version, updatedAt: a.updatedAt, usage: a.usage, rules: Object.values(a.audienceRules).filter((v) => (Array.isArray(v) ? v.length : v)).length })) },
    courses,
    usageByTier: tiers.map((tier) => ({ tier, ...(byTier[tier] ?? zeroUse()) })),
  }
}

export default function VendorEnablement() {
  const { assets: assetList, courses, usageByTier } = useLoaderData<typeof loader>()
  const assets = assetList.rows
  const actions = Object.keys(useLabels) as (keyof typeof useLabels)[]
  return (
    <div className="space-y-8">
      <PageHeader title="Enablement" description="Collateral and training for partners: what you published, who may see it, and how partners use it by tier."
        actions={<><Link to="/vendor/enablement/assets/new" className="btn-primary no-underline">Publish asset</Link><Link to="/vendor/enablement/courses/new" className="btn-secondary no-underline">Publish course</Link></>} />
      <section aria-labelledby="assets-title">
        <h2 id="assets-title" className="text-base font-semibold text-gray-900">Assets <span className="text-sm font-normal text-gray-600">{formatCount(assetList.total)}</span></h2>
        {assets.length === 0 ? <div className="mt-3"><EmptyState title="No assets yet" description="Sales guides, case studies and templates you publish appear here with their usage." action={<Link to="/vendor/enablement/assets/new" className="btn-primary no-underline">Publish asset</Link>} /></div> : (
          <div className="card mt-3 overflow-x-auto">
            <table className="table-base">
              <thead className="bg-gray-50"><tr>
                <th scope="col" className="th">Asset</th><th scope="col" className="th">Audience</th><th scope="col" className="th">Status</th><th scope="col" className="th">Updated</th>
                {actions.map((k) => <th key={k} scope="col" className="th num">{useLabels[k]}</th>)}
              </tr></thead>
              <tbody className="divide-y divide-gray-100">
                {assets.map((a) => (
                  <tr key={a.assetId}>
                    <td className="td"><div className="flex items-center gap-2"><span className="text-gray-600"><TypeIcon type={a.assetType} className="h-5 w-5" /></span><div><Link to={`/vendor/enablement/assets/${a.assetId}`} className="font-medium">{a.title}</Link><div className="text-xs text-gray-600">{assetTypeLabels[a.assetType] ?? a.assetType} · v{a.version}{a.rules ? ` · ${a.rules} audience rule${a.rules > 1 ? 's' : ''}` : ' · all partners'}</div></div></div></td>
                    <td className="td"><AudienceBadge audience={a.audience} /></td>
                    <td className="td">{a.status === 'Published' ? <Badge tone="green">Published</Badge> : <Badge tone="gray">Retired</Badge>}</td>
                    <td className="td whitespace-nowrap"><DateText iso={a.updatedAt} /></td>
                    {actions.map((k) => <td key={k} className="td num">{a.usage[k]}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager className="mt-3" list={assetList} label="Asset pages" order="last updated first" anchor="assets-title" />
      </section>
      <div className="grid gap-8 lg:grid-cols-2">
        <section aria-labelledby="tier-title">
          <h2 id="tier-title" className="text-base font-semibold text-gray-900">Asset usage by tier</h2>
          <div className="card mt-3 overflow-x-auto">
            <table className="table-base">
              <thead className="bg-gray-50"><tr><th scope="col" className="th">Tier</th>{actions.map((k) => <th key={k} scope="col" className="th num">{useLabels[k]}</th>)}</tr></thead>
              <tbody className="divide-y divide-gray-100">
                {usageByTier.map((row) => (
                  <tr key={row.tier}><th scope="row" className="td text-left font-medium capitalize">{row.tier}</th>{actions.map((k) => <td key={k} className="td num">{row[k]}</td>)}</tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section aria-labelledby="courses-title">
          <h2 id="courses-title" className="text-base font-semibold text-gray-900">Courses <span className="text-sm font-normal text-gray-600">{courses.length}</span></h2>
          {courses.length === 0 ? <div className="mt-3"><EmptyState title="No courses yet" description="Courses and the certifications they grant appear here." action={<Link to="/vendor/enablement/courses/new" className="btn-primary no-underline">Publish course</Link>} /></div> : (
            <div className="card mt-3 overflow-x-auto">
              <table className="table-base">
                <thead className="bg-gray-50"><tr><th scope="col" className="th">Course</th><th scope="col" className="th num">Enrolled</th><th scope="col" className="th num">Passed</th><th scope="col" className="th num">Certified</th></tr></thead>
                <tbody className="divide-y divide-gray-100">
                  {courses.map((c) => (
                    <tr key={c.courseId}>
                      <td className="td"><Link to={`/vendor/enablement/courses/${c.courseId}`} className="font-medium">{c.title}</Link>{c.assessment ? null : <span className="ml-2"><Badge tone="amber">No assessment yet</Badge></span>}<div className="text-xs text-gray-600">{c.certification ? `${c.certification.name} · ${c.certification.validityMonths} months` : 'No certification'}</div></td>
                      <td className="td num">{c.enrolments}</td><td className="td num">{c.passes}</td><td className="td num">{c.certificationsEarned}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </div>
  )
}
