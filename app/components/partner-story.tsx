// A partner's relationship as a story (journey, trust, scorecard, pyramid, value, funds, deals, timeline), for the
// vendor and, as of a date, the auditor.
import { Link } from 'react-router'
import type { DealDoc } from '../../projections/deals.ts'
import type { LedgerDoc } from '../../projections/funds.ts'
import type { TimelineDoc } from '../../projections/timeline.ts'
import type { PartnerInsight } from '../queries/insights.server.ts'
import { Bars, LineChart } from './charts.tsx'
import { JourneyTrack } from './journey.tsx'
import { Badge, DateText, formatDate, formatMoney, StatusBadge } from './ui.tsx'
import { formatCount, formatDecimal, formatPercent, plural } from '../format.ts'

export const stageLabels: Record<string, string> = {
  transactional: 'Transactional', enhanced: 'Enhanced', collaborative: 'Collaborative', partnership: 'Partnership',
}
export const cLabels: Record<string, { label: string; hint: string }> = {
  contribution: { label: 'Contribution', hint: 'Won revenue, trailing four quarters' },
  consumption: { label: 'Consumption', hint: 'Asset use and training completions' },
  coverage: { label: 'Coverage', hint: 'Geographies, segments, distinct customers' },
  capability: { label: 'Capability', hint: 'Certifications valid today' },
  commitment: { label: 'Commitment', hint: 'Co-investment, plans, workshops' },
}

/** What the trust card shows, and only that, since a page's data is written into it. */
type TrustEntryShown = { reason: string; delta: number }
export type TrustShown = { value: number; gained: number; lost: number; times: string[]; values: number[]; until: string | null; drops: TrustEntryShown[]; gallons: TrustEntryShown[] }

/** The trust card's part of a partner's insight, and nothing more; the chart runs to `now` (the value holds since the last change). */
export function trustShown(trust: PartnerInsight['trust'], now: string | null, latest = 5): TrustShown | null {
  if (!trust) return null
  const entry = ({ reason, delta }: TrustEntryShown) => ({ reason, delta })
  return {
    value: trust.value, gained: trust.gained, lost: trust.lost,
    // when each change happened (business time) and the value after it
    times: trust.series.map((p) => p.at), values: trust.series.map((p) => p.value), until: now,
    drops: trust.drops.slice(0, latest).map(entry), gallons: trust.gallons.slice(0, latest).map(entry),
  }
}

/** dataRows: the chart's data table lists only the latest this many changes (a page every partner opens; all when absent) */
export function TrustCard({ trust, dataRows }: { trust: TrustShown | null; dataRows?: number }) {
  if (!trust) return <section className="card p-5"><h2 className="text-sm font-semibold">Trust in the vendor</h2><p className="mt-2 text-sm text-gray-600">No trust history yet: trust starts once the partner applies, and moves with every promise kept or broken.</p></section>
  const values = trust.values
  const points = values.map((y, i) => ({
    at: trust.times[i]!, y,
    mark: i === 0 ? null : y > values[i - 1]! ? ('gain' as const) : y < values[i - 1]! ? ('loss' as const) : null,
  }))
  return (
    <section className="card p-5" aria-labelledby="trust-title">
      <div className="flex items-baseline justify-between">
        <h2 id="trust-title" className="text-sm font-semibold text-gray-900">Trust in the vendor</h2>
        <span className="text-3xl font-semibold tabular-nums">{Math.round(trust.value)}<span className="text-base font-normal text-gray-500"> / 100</span></span>
      </div>
      <p className="text-xs text-gray-600">{`Earned in drops, lost in gallons: ${Math.round(trust.gained)} gained, ${Math.round(Math.abs(trust.lost))} lost in all.`}</p>
      <div className="mt-3"><LineChart points={points} until={trust.until} label="Trust" unit="trust points" dataRows={dataRows} empty="No trust change yet: approved deals, paid claims and kept promises earn drops; broken ones lose gallons." /></div>
      {/* a reason is one of the trust rules' short sentences (under 50 characters): no clamp, no tooltip repeating it */}
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        <div>
          <h3 className="text-xs font-semibold tracking-wide text-green-800 uppercase">Recent drops</h3>
          {trust.drops.length === 0 ? <p className="mt-1 text-sm text-gray-600">None yet.</p> : (
            <ul className="mt-1 space-y-1 text-sm">{trust.drops.map((d, i) => <li key={i} className="flex justify-between gap-2">{d.reason}<span className="shrink-0 tabular-nums text-green-800">{`+${d.delta}`}</span></li>)}</ul>
          )}
        </div>
        <div>
          <h3 className="text-xs font-semibold tracking-wide text-red-800 uppercase">Recent gallons</h3>
          {trust.gallons.length === 0 ? <p className="mt-1 text-sm text-gray-600">None: no broken promise.</p> : (
            <ul className="mt-1 space-y-1 text-sm">{trust.gallons.map((d, i) => <li key={i} className="flex justify-between gap-2">{d.reason}<span className="shrink-0 tabular-nums text-red-800">{d.delta}</span></li>)}</ul>
          )}
        </div>
      </div>
    </section>
  )
}

/** What the scorecard card shows of a partner's scorecard (not the raw facts behind the scores). */
type ScorecardShown = Pick<NonNullable<PartnerInsight['scorecard']>, 'scores' | 'composite' | 'rank' | 'groupSize' | 'group' | 'trend'>

export function scorecardShown(scorecard: PartnerInsight['scorecard']): ScorecardShown | null {
  if (!scorecard) return null
  const { scores, composite, rank, groupSize, group, trend } = scorecard
  return { scores, composite, rank, groupSize, group, trend }
}

export function ScorecardCard({ scorecard, medians }: { scorecard: ScorecardShown | null; medians: PartnerInsight['groupMedians'] }) {
  if (!scorecard) return <section className="card p-5"><h2 className="text-sm font-semibold">5C scorecard</h2><p className="mt-2 text-sm text-gray-600">The scorecard starts once the partner is approved.</p></section>
  const trend = scorecard.trend
  return (
    <section className="card p-5" aria-labelledby="score-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="score-title" className="text-sm font-semibold text-gray-900">5C scorecard</h2>
        <span className="text-sm text-gray-700">
          Composite <strong className="tabular-nums">{Math.round(scorecard.composite)}</strong>{` · rank ${scorecard.rank} of ${scorecard.groupSize} in ${scorecard.group}`}
          {trend != null ? <span className={trend >= 0 ? 'text-green-800' : 'text-red-800'}>{` · ${trend >= 0 ? '▲' : '▼'} ${Math.abs(Math.round(trend))} vs last quarter`}</span> : null}
        </span>
      </div>
      <div className="mt-4">
        <Bars unit="score" caption="5C scores and the group’s median" rows={Object.entries(scorecard.scores).map(([c, value]) => ({
          label: cLabels[c]?.label ?? c, hint: cLabels[c]?.hint, value,
          compare: medians?.[c] ?? null,
        }))} />
      </div>
      <p className="mt-2 text-xs text-gray-600">Each C is 0–100 within the group; the tick marks the group’s median.</p>
    </section>
  )
}

export function PartnerStory({ insight, ledgers, deals, dealCount, timeline, now, timelineLink, dealsLink = null }: {
  /** deals: the newest only; dealCount: all of them; dealsLink: the page listing them all */
  insight: PartnerInsight; ledgers: LedgerDoc[]; deals: DealDoc[]; dealCount: number; timeline: TimelineDoc[]; now: string; timelineLink: string | null; dealsLink?: string | null
}) {
  const lifetime = insight.lifetime
  const currency = ledgers[0]?.currency ?? deals[0]?.currency ?? 'EUR'
  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 2xl:grid-cols-6">
        {[
          ['Tier', <span key="t" className="capitalize">{insight.tier ?? '—'}</span>],
          ['Journey phase', <span key="p" className="capitalize">{insight.journey.phase}</span>],
          ['Pyramid stage', insight.pyramid?.stage ? stageLabels[insight.pyramid.stage] : '—'],
          ['Composite score', insight.scorecard ? `${Math.round(insight.scorecard.composite)} (#${insight.scorecard.rank})` : '—'],
          ['Trust', insight.trust ? Math.round(insight.trust.value) : '—'],
          ['Lifetime value', lifetime ? formatMoney(lifetime.value, currency) : '—'],
        ].map(([label, value]) => (
          <div key={String(label)} className="card px-4 py-3">
            <dt className="text-xs text-gray-600">{label}</dt>
            <dd className="mt-1 text-lg font-semibold text-gray-900 tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>

      <section className="card p-5" aria-labelledby="journey-title">
        <h2 id="journey-title" className="text-sm font-semibold text-gray-900">Journey</h2>
        <div className="mt-3"><JourneyTrack phase={insight.journey.phase} /></div>
        {insight.journey.nextNeeds.length ? <p className="mt-3 text-sm"><span className="font-medium">Next step needs: </span>{insight.journey.nextNeeds.join(' · ')}</p> : null}
        <ol className="mt-4 space-y-1.5 border-l-2 border-gray-200 pl-4 text-sm">
          {[...insight.journey.history].reverse().map((h) => (
            <li key={h.eventId + h.phase}>
              <span className="font-medium capitalize">{h.from ? `${h.from} → ${h.phase}` : h.phase}</span>
              <span className="text-gray-600"> · <DateText iso={h.at} /> · {h.reason}</span>
            </li>
          ))}
        </ol>
      </section>

      <div className="grid gap-6 xl:grid-cols-2">
        <TrustCard trust={trustShown(insight.trust, now)} />
        <ScorecardCard scorecard={insight.scorecard} medians={insight.groupMedians} />
      </div>

      <div className="grid gap-6 xl:grid-cols-2">
        <section className="card p-5" aria-labelledby="pyramid-title">
          <h2 id="pyramid-title" className="text-sm font-semibold text-gray-900">Relationship pyramid</h2>
          <p className="mt-2 text-sm">Stage: <strong>{insight.pyramid?.stage ? stageLabels[insight.pyramid.stage] : 'not yet approved'}</strong></p>
          {insight.pyramid?.nextNeeds.length ? <p className="mt-1 text-sm text-gray-700">Next level needs: {insight.pyramid.nextNeeds.join(' · ')}</p> : null}
        </section>
        <section className="card p-5" aria-labelledby="ltv-title">
          <h2 id="ltv-title" className="text-sm font-semibold text-gray-900">Partner lifetime value</h2>
          {lifetime ? (
            <table className="mt-2 w-full text-sm">
              <caption className="sr-only">How the lifetime value is computed</caption>
              <tbody className="divide-y divide-gray-100">
                <tr><th scope="row" className="py-1 text-left font-normal text-gray-600">Won revenue, last 4 quarters</th><td className="num">{formatMoney(lifetime.yearlyRevenue, currency)}</td></tr>
                <tr><th scope="row" className="py-1 text-left font-normal text-gray-600">Margin ({formatPercent(lifetime.marginRate)}) per year</th><td className="num">{formatMoney(lifetime.yearlyMargin, currency)}</td></tr>
                <tr><th scope="row" className="py-1 text-left font-normal text-gray-600">Cost to serve per year (co-investment paid{lifetime.yearlyHeadsCost ? `, of which heads ${formatMoney(lifetime.yearlyHeadsCost, currency)}` : ''})</th><td className="num">{formatMoney(lifetime.yearlyCostToServe, currency)}</td></tr>
                <tr><th scope="row" className="py-1 text-left font-normal text-gray-600">Churn risk per year{lifetime.churnSignals.length ? ` (${lifetime.churnSignals.map((s) => s.signal).join('; ')})` : ''}</th><td className="num">{formatPercent(lifetime.churnRate)}</td></tr>
                <tr><th scope="row" className="py-1 text-left font-normal text-gray-600">Expected lifetime</th><td className="num whitespace-nowrap">{formatDecimal(lifetime.expectedLifetimeYears)} {plural(lifetime.expectedLifetimeYears, 'year')}</td></tr>
                <tr><th scope="row" className="py-1 text-left font-semibold">Lifetime value</th><td className="num font-semibold">{formatMoney(lifetime.value, currency)}</td></tr>
              </tbody>
            </table>
          ) : <p className="mt-2 text-sm text-gray-600">Computed once the partner is approved.</p>}
        </section>
      </div>

      <section className="card overflow-x-auto p-5" aria-labelledby="ledger-title">
        <h2 id="ledger-title" className="text-sm font-semibold text-gray-900">Co-investment ledger</h2>
        {ledgers.length === 0 ? <p className="mt-2 text-sm text-gray-600">No funds allocated yet.</p> : (
          <table className="table-base mt-2">
            <thead><tr>{['Quarter', 'Allocated', 'Requested', 'Approved', 'Claimed', 'Paid', 'Expired', 'Available'].map((h, i) => <th key={h} scope="col" className={`th ${i ? 'num' : ''}`}>{h}</th>)}</tr></thead>
            <tbody className="divide-y divide-gray-100">
              {ledgers.map((l) => (
                <tr key={l.quarter}>
                  <td className="td"><Link to={`/funds/ledger/${l.partnerId}/${l.quarter}`}>{l.quarter}</Link> {l.status === 'Expired' ? <Badge tone="gray">Expired</Badge> : null}</td>
                  {[l.allocated, l.requested, l.approved, l.claimed, l.paid, l.expired, l.available].map((v, i) => <td key={i} className="td num">{formatMoney(v, l.currency)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <div className="grid gap-6 xl:grid-cols-2">
        <section className="card overflow-x-auto p-5" aria-labelledby="deals-title">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="deals-title" className="text-sm font-semibold text-gray-900">Deals <span className="ml-1 font-normal text-gray-600">{formatCount(dealCount)}</span></h2>
            {dealCount > deals.length ? (
              dealsLink ? <Link to={dealsLink} className="text-sm">The newest {formatCount(deals.length)} of {formatCount(dealCount)}: all deals</Link>
                : <span className="text-sm text-gray-600">The newest {formatCount(deals.length)} of {formatCount(dealCount)}</span>
            ) : null}
          </div>
          {deals.length === 0 ? <p className="mt-2 text-sm text-gray-600">No deal registrations yet.</p> : (
            <table className="table-base mt-2">
              <thead><tr><th scope="col" className="th">Customer</th><th scope="col" className="th">Status</th><th scope="col" className="th num">Value</th><th scope="col" className="th">Registered</th></tr></thead>
              <tbody className="divide-y divide-gray-100">
                {deals.map((d) => (
                  <tr key={d.dealId}><td className="td">{d.customerName}</td><td className="td"><StatusBadge status={d.status} /></td><td className="td num">{formatMoney(d.value, d.currency)}</td><td className="td"><DateText iso={d.registeredAt} /></td></tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card p-5" aria-labelledby="timeline-title">
          <div className="flex items-baseline justify-between">
            <h2 id="timeline-title" className="text-sm font-semibold text-gray-900">Timeline</h2>
            {timelineLink ? <Link to={timelineLink} className="text-sm">Every event</Link> : null}
          </div>
          <ol className="mt-2 space-y-1 text-sm">
            {timeline.map((e) => (
              <li key={e.eventId} className="flex justify-between gap-3"><span className="font-medium">{e.type}</span><span className="shrink-0 text-gray-600"><DateText iso={e.occurredAt} /></span></li>
            ))}
          </ol>
        </section>
      </div>
      <p className="text-xs text-gray-500">Figures as of {formatDate(now)}.</p>
    </div>
  )
}
