import { useLoaderData } from 'react-router'
import type { Route } from './+types/program'
import { requireUser } from '../../auth.server.ts'
import { Funnel, Pyramid } from '../../components/charts.tsx'
import { stageLabels } from '../../components/partner-story.tsx'
import { Badge, formatMoney, PageHeader } from '../../components/ui.tsx'
import { insightsAt } from '../../partner-views.server.ts'
import { createEnablementQueries } from '../../queries/enablement.server.ts'

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

export default function Program() {
  const { funnel, pyramid, quarters, total, usage } = useLoaderData<typeof loader>()
  const phases = ['interest', 'recruitment', 'activation', 'investment', 'devotion'] as const
  const maxQ = Math.max(1, ...quarters.flatMap((q) => [q.pipelineRegistered, q.coInvestmentApproved, q.wonRevenue]))
  return (
    <div className="space-y-6">
      <PageHeader title="Program" description="The shape of the partner program: journey, relationship pyramid, co-investment against pipeline, asset use." />
      <div className="grid gap-6 xl:grid-cols-2">
        <section className="card p-5" aria-labelledby="funnel-title">
          <h2 id="funnel-title" className="text-sm font-semibold text-gray-900">Journey funnel</h2>
          <Funnel steps={phases.map((p) => ({ label: p[0]!.toUpperCase() + p.slice(1), value: funnel[p] }))} />
        </section>
        <section className="card p-5" aria-labelledby="pyramid-title">
          <h2 id="pyramid-title" className="text-sm font-semibold text-gray-900">Relationship pyramid</h2>
          <Pyramid levels={pyramid.levels.map((l) => ({ label: stageLabels[l.stage] ?? l.stage, value: l.partners }))} />
          <table className="table-base mt-3">
            <caption className="sr-only">Cost of sale per pyramid level</caption>
            <thead><tr><th scope="col" className="th">Level</th><th scope="col" className="th num">Partners</th><th scope="col" className="th num">Vendor effort</th><th scope="col" className="th num">Won revenue</th><th scope="col" className="th num">Cost of sale</th></tr></thead>
            <tbody className="divide-y divide-gray-100">
              {pyramid.levels.map((l) => (
                <tr key={l.stage}><td className="td">{stageLabels[l.stage]}</td><td className="td num">{l.partners}</td><td className="td num">{formatMoney(l.effort, 'EUR')}</td><td className="td num">{formatMoney(l.revenue, 'EUR')}</td><td className="td num">{l.costOfSale != null ? `${Math.round(l.costOfSale * 100)}%` : '—'}</td></tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <section className="card p-5" aria-labelledby="mismatch-title">
        <h2 id="mismatch-title" className="text-sm font-semibold text-gray-900">Effort that does not match the stage</h2>
        {pyramid.mismatched.length === 0 ? <p className="mt-2 text-sm text-gray-600">Every partner gets the vendor effort typical of its stage.</p> : (
          <ul className="mt-2 divide-y divide-gray-100 text-sm">
            {pyramid.mismatched.map((p) => (
              <li key={p.partnerId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <a href={`/vendor/partners/${p.partnerId}`}>{p.company ?? p.partnerId}</a>
                <span className="flex items-center gap-2"><Badge tone="amber">{p.mismatch === 'over' ? 'Over-served' : 'Under-served'}</Badge><span className="text-gray-700">{p.explanation}</span></span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card overflow-x-auto p-5" aria-labelledby="coinvest-title">
        <h2 id="coinvest-title" className="text-sm font-semibold text-gray-900">Co-investment against pipeline</h2>
        <svg viewBox={`0 0 ${Math.max(1, quarters.length) * 120} 130`} className="mt-3 h-36 w-full max-w-2xl" role="img" aria-label={`Per quarter: ${quarters.map((q) => `${q.quarter} pipeline ${q.pipelineRegistered}, co-investment approved ${q.coInvestmentApproved}, won ${q.wonRevenue}`).join('; ')}`}>
          {quarters.map((q, i) => {
            const bar = (value: number, offset: number, cls: string) => {
              const h = (value / maxQ) * 100
              return <rect x={i * 120 + 14 + offset} y={108 - h} width={26} height={h} rx={2} className={cls} />
            }
            return (
              <g key={q.quarter}>
                {bar(q.pipelineRegistered, 0, 'fill-brand-200')}
                {bar(q.coInvestmentApproved, 30, 'fill-brand-600')}
                {bar(q.wonRevenue, 60, 'fill-gray-500')}
                <text x={i * 120 + 56} y={124} textAnchor="middle" className="fill-gray-700 text-[11px]">{q.quarter}</text>
              </g>
            )
          })}
        </svg>
        <p className="mt-1 flex gap-4 text-xs text-gray-600"><span><span className="mr-1 inline-block h-2 w-2 bg-brand-200" />Pipeline registered</span><span><span className="mr-1 inline-block h-2 w-2 bg-brand-600" />Co-investment approved</span><span><span className="mr-1 inline-block h-2 w-2 bg-gray-500" />Won revenue</span></p>
        <table className="table-base mt-3">
          <thead><tr><th scope="col" className="th">Quarter</th><th scope="col" className="th num">Pipeline registered</th><th scope="col" className="th num">Co-investment approved</th><th scope="col" className="th num">Paid</th><th scope="col" className="th num">Won revenue</th><th scope="col" className="th num">Approved per pipeline</th></tr></thead>
          <tbody className="divide-y divide-gray-100">
            {[...quarters, { ...total, quarter: 'Total' }].map((q) => (
              <tr key={q.quarter} className={q.quarter === 'Total' ? 'font-semibold' : ''}>
                <td className="td">{q.quarter}</td><td className="td num">{formatMoney(q.pipelineRegistered, 'EUR')}</td><td className="td num">{formatMoney(q.coInvestmentApproved, 'EUR')}</td>
                <td className="td num">{formatMoney(q.coInvestmentPaid, 'EUR')}</td><td className="td num">{formatMoney(q.wonRevenue, 'EUR')}</td>
                <td className="td num">{q.approvedPerPipeline != null ? `${Math.round(q.approvedPerPipeline * 100)}%` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card overflow-x-auto p-5" aria-labelledby="usage-title">
        <h2 id="usage-title" className="text-sm font-semibold text-gray-900">Asset use by tier</h2>
        {usage.length === 0 ? <p className="mt-2 text-sm text-gray-600">No asset has been used yet.</p> : (
          <table className="table-base mt-2">
            <thead><tr><th scope="col" className="th">Tier</th><th scope="col" className="th num">Views</th><th scope="col" className="th num">Downloads</th><th scope="col" className="th num">Co-branded</th><th scope="col" className="th num">Shares</th></tr></thead>
            <tbody className="divide-y divide-gray-100">
              {usage.map((u) => <tr key={u.tier}><td className="td capitalize">{u.tier}</td><td className="td num">{u.viewed}</td><td className="td num">{u.downloaded}</td><td className="td num">{u.cobranded}</td><td className="td num">{u.shared}</td></tr>)}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}
