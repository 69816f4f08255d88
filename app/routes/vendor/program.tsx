import { useLoaderData } from 'react-router'
import type { Route } from './+types/program'
import { requireUser } from '../../auth.server.ts'
import { ColumnChart, CountBars, Pyramid, StackedBars } from '../../components/charts.tsx'
import { stageLabels } from '../../components/partner-story.tsx'
import { Badge, PageHeader } from '../../components/ui.tsx'
import { insightsAt } from '../../partner-views.server.ts'
import { createEnablementQueries } from '../../queries/enablement.server.ts'
import { formatCount, formatMoney, formatMoneyCompact, formatPercent } from '../../format.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Program · Partnerlog' }]

export async function loader({ request, context }: Route.LoaderArgs) {
  const { services } = context
  await requireUser(request, services, 'vendor:home')
  const insights = await insightsAt(services, null)
  const { summary, funnel, pyramid } = insights.program()
  // added up over every asset in the database, however many
  const byTier = await createEnablementQueries(services.sql).usageByTier()
  return { funnel, pyramid, quarters: summary.quarters, total: summary.total, usage: Object.entries(byTier).map(([tier, c]) => ({ tier, ...c })) }
}

const phases = ['interest', 'recruitment', 'activation', 'investment', 'devotion'] as const
const quarterSeries = [
  { label: 'Pipeline registered', className: 'bg-brand-200' },
  { label: 'Co-investment approved', className: 'bg-brand-600' },
  { label: 'Won revenue', className: 'bg-gray-500' },
]
const useSeries = [
  { label: 'Views', className: 'bg-brand-200' },
  { label: 'Downloads', className: 'bg-brand-500' },
  { label: 'Co-branded', className: 'bg-brand-800' },
  { label: 'Shares', className: 'bg-gray-500' },
]
const percent = (ratio: number | null) => (ratio != null ? formatPercent(ratio) : '—')

export default function Program() {
  const { funnel, pyramid, quarters, total, usage } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <PageHeader title="Program" description="The shape of the partner program: journey, relationship pyramid, co-investment against pipeline, asset use." />
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card p-5" aria-labelledby="funnel-title">
          <h2 id="funnel-title" className="text-sm font-semibold text-gray-900">Journey funnel</h2>
          <p className="mb-3 text-xs text-gray-600">Partners in each phase today.</p>
          <CountBars unit="partners" caption="Partners per journey phase" rows={phases.map((p) => ({ label: p[0]!.toUpperCase() + p.slice(1), value: funnel[p] }))}
            empty="No partner yet: partners appear here, phase by phase, once companies apply to the program." />
        </section>
        <section className="card p-5" aria-labelledby="pyramid-title">
          <h2 id="pyramid-title" className="text-sm font-semibold text-gray-900">Relationship pyramid</h2>
          <p className="mb-3 text-xs text-gray-600">Approved partners per level; the cost of sale of each level is below.</p>
          <Pyramid levels={pyramid.levels.map((l) => ({ label: stageLabels[l.stage] ?? l.stage, value: l.partners }))}
            empty="No approved partner yet: each level fills as the vendor approves applications and partners deepen the relationship." />
        </section>
      </div>

      <section className="card p-5" aria-labelledby="cost-title">
        <h2 id="cost-title" className="text-sm font-semibold text-gray-900">Cost of sale per pyramid level</h2>
        <div className="mt-2 overflow-x-auto">
          <table className="table-base">
            <caption className="sr-only">Partners, vendor effort, won revenue and cost of sale per pyramid level</caption>
            <thead><tr><th scope="col" className="th">Level</th><th scope="col" className="th num">Partners</th><th scope="col" className="th num">Vendor effort</th><th scope="col" className="th num">Won revenue</th><th scope="col" className="th num">Cost of sale</th></tr></thead>
            <tbody className="divide-y divide-gray-100">
              {pyramid.levels.map((l) => (
                <tr key={l.stage}><td className="td">{stageLabels[l.stage]}</td><td className="td num">{formatCount(l.partners)}</td><td className="td num">{formatMoney(l.effort, 'EUR')}</td><td className="td num">{formatMoney(l.revenue, 'EUR')}</td><td className="td num">{percent(l.costOfSale)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card p-5" aria-labelledby="mismatch-title">
        <h2 id="mismatch-title" className="text-sm font-semibold text-gray-900">Effort that does not match the stage</h2>
        {pyramid.mismatched.length === 0 ? <p className="mt-2 text-sm text-gray-600">Every partner gets the vendor effort typical of its stage.</p> : (
          <ul className="mt-2 divide-y divide-gray-100 text-sm">
            {pyramid.mismatched.map((p) => (
              <li key={p.partnerId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <a href={`/vendor/partners/${p.partnerId}`}>{p.company ?? p.partnerId}</a>
                <span className="flex items-center gap-2"><Badge tone="amber">{p.mismatch === 'over' ? 'Over-served' : 'Under-served'}</Badge><span className="text-gray-700">{p.typical ? `Vendor effort ${formatMoney(p.effort, 'EUR')} is ${p.mismatch === 'over' ? 'above' : 'below'} the typical ${(stageLabels[p.typical.stage] ?? p.typical.stage).toLowerCase()} partner’s (${formatMoney(p.typical.effort, 'EUR')})` : null}</span></span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card p-5" aria-labelledby="coinvest-title">
        <h2 id="coinvest-title" className="text-sm font-semibold text-gray-900">Co-investment against pipeline</h2>
        <p className="mb-3 text-xs text-gray-600">Per quarter, in EUR: pipeline registered, co-investment approved and revenue won.</p>
        <ColumnChart caption="Co-investment against pipeline per quarter" series={quarterSeries} tickLabel={(v) => formatMoneyCompact(v, 'EUR')}
          periods={quarters.map((q) => ({ label: q.quarter, values: [q.pipelineRegistered, q.coInvestmentApproved, q.wonRevenue] }))}
          empty="No quarter with pipeline or co-investment yet: registered deals, approved co-investment and won deals fill this chart." />
        <div className="mt-3 overflow-x-auto">
          <table className="table-base">
            <caption className="sr-only">Pipeline, co-investment and won revenue per quarter</caption>
            <thead><tr><th scope="col" className="th">Quarter</th><th scope="col" className="th num">Pipeline registered</th><th scope="col" className="th num">Co-investment approved</th><th scope="col" className="th num">Paid</th><th scope="col" className="th num">Won revenue</th><th scope="col" className="th num">Approved per pipeline</th></tr></thead>
            <tbody className="divide-y divide-gray-100">
              {[...quarters, { ...total, quarter: 'Total' }].map((q) => (
                <tr key={q.quarter} className={q.quarter === 'Total' ? 'font-semibold' : ''}>
                  <td className="td">{q.quarter}</td><td className="td num">{formatMoney(q.pipelineRegistered, 'EUR')}</td><td className="td num">{formatMoney(q.coInvestmentApproved, 'EUR')}</td>
                  <td className="td num">{formatMoney(q.coInvestmentPaid, 'EUR')}</td><td className="td num">{formatMoney(q.wonRevenue, 'EUR')}</td>
                  <td className="td num">{percent(q.approvedPerPipeline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card p-5" aria-labelledby="usage-title">
        <h2 id="usage-title" className="text-sm font-semibold text-gray-900">Asset use by tier</h2>
        <p className="mb-3 text-xs text-gray-600">Every view, download, co-branded copy and share of an asset, by the tier of the partner who used it.</p>
        <StackedBars unit="uses" caption="Asset use by tier" series={useSeries}
          rows={usage.map((u) => ({ label: u.tier, values: [u.viewed, u.downloaded, u.cobranded, u.shared] }))}
          empty="No asset has been used yet: views, downloads, co-branded copies and shares by partners appear here, by tier." />
      </section>
    </div>
  )
}
