// The partner's tier: what it gives (funds per quarter) and what the next tier needs, each threshold against where the
// partner stands. Shown on the partner's dashboard and funds page; the numbers come from the program settings in force.
import { Link } from 'react-router'
import type { TierProgress, TierRequirement } from '../../domain/settings/tiers.ts'
import { formatCount, formatMoney, plural } from '../format.ts'

const tierLabel = (tier: string) => (tier ? tier[0]!.toUpperCase() + tier.slice(1) : '—')

const requirementNames: Record<TierRequirement['kind'], [string, string]> = {
  certifications: ['valid certification', 'valid certifications'],
  wonDeals: ['won deal', 'won deals'],
}
const howTo: Record<TierRequirement['kind'], { to: string; link: string }> = {
  certifications: { to: '/partner/training', link: 'Training' },
  wonDeals: { to: '/partner/deals', link: 'Deals' },
}

function Requirement({ r }: { r: TierRequirement }) {
  const [one, many] = requirementNames[r.kind]
  const pct = r.need > 0 ? Math.min(100, Math.round((r.have / r.need) * 100)) : 100
  const text = `${formatCount(r.have)} of ${formatCount(r.need)} ${plural(r.need, one, many)}`
  return (
    <li className="py-2">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
        <span className="text-gray-900">{text}</span>
        {r.met ? <span className="text-xs font-medium text-green-800">Met</span> : (
          <span className="text-xs text-gray-600">{formatCount(r.need - r.have)} to go · <Link to={howTo[r.kind].to} className="underline">{howTo[r.kind].link}</Link></span>
        )}
      </div>
      <div className="mt-1.5 h-2 w-full overflow-hidden rounded-full bg-gray-100" role="img" aria-label={`${text}${r.met ? ', met' : ''}`}>
        <span className={`block h-full ${r.met ? 'bg-green-600' : 'bg-brand-600'}`} style={{ width: `${pct}%` }} />
      </div>
    </li>
  )
}

/** `thisQuarter`: the current quarter's allocation as the ledger holds it (it may be pro rata or changed by the vendor) */
export function TierProgressCard({ progress, thisQuarter }: { progress: Pick<TierProgress, 'current' | 'next'>; thisQuarter?: { quarter: string; allocated: number; currency: string } | null }) {
  const { current, next } = progress
  return (
    <section className="card p-5" aria-labelledby="tier-title">
      <div className="grid gap-6 md:grid-cols-2">
        <div>
          <h2 id="tier-title" className="text-sm font-semibold text-gray-900">Your tier{current ? `: ${tierLabel(current.name)}` : ''}</h2>
          {current ? (
            <>
              <p className="mt-3 text-2xl font-semibold tabular-nums text-gray-900" data-testid="tier-allocation">{formatMoney(current.allocationPerQuarter, current.currency)}</p>
              <p className="text-sm text-gray-700">co-investment funds every quarter, allocated when the quarter starts</p>
              {current.restrictedAssets > 0 ? (
                <p className="mt-2 text-sm text-gray-700">
                  <Link to="/partner/library" className="underline">{formatCount(current.restrictedAssets)} library {plural(current.restrictedAssets, 'asset')}</Link> reserved for your tier and above
                </p>
              ) : null}
              {thisQuarter && thisQuarter.allocated !== current.allocationPerQuarter ? (
                <p className="mt-2 text-sm text-gray-700">
                  This quarter ({thisQuarter.quarter}): <strong className="tabular-nums">{formatMoney(thisQuarter.allocated, thisQuarter.currency)}</strong>; the ledger says why.
                </p>
              ) : null}
            </>
          ) : (
            <p className="mt-2 text-sm text-gray-700">Your tier is not in the program’s current tier list; your channel manager can tell you where you stand.</p>
          )}
        </div>
        <div className="border-t border-gray-100 pt-4 md:border-t-0 md:border-l md:pt-0 md:pl-6" aria-labelledby="next-tier-title">
          {next ? (
            <>
              <h3 id="next-tier-title" className="text-sm font-semibold text-gray-900">Next tier: {tierLabel(next.name)}</h3>
              <p className="mt-1 text-sm text-gray-700">
                <span className="tabular-nums">{formatMoney(next.allocationPerQuarter, next.currency)}</span> every quarter
                {next.unlocksAssets > 0 ? `, and ${formatCount(next.unlocksAssets)} more library ${plural(next.unlocksAssets, 'asset')}` : ''}.{' '}
                {next.requirements.length === 0 ? 'It has no thresholds: ask your channel manager.' : next.ready ? 'You meet every threshold: your channel manager can move you up.' : 'What it needs:'}
              </p>
              {next.requirements.length ? <ul className="mt-1 divide-y divide-gray-100">{next.requirements.map((r) => <Requirement key={r.kind} r={r} />)}</ul> : null}
            </>
          ) : (
            <>
              <h3 id="next-tier-title" className="text-sm font-semibold text-gray-900">Top tier</h3>
              <p className="mt-1 text-sm text-gray-700">{current ? `${tierLabel(current.name)} is the program’s highest tier.` : 'No tier ranks above yours.'}</p>
            </>
          )}
        </div>
      </div>
    </section>
  )
}
