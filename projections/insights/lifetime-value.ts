// Partner lifetime value: yearly margin times expected lifetime (from churn signals), minus the cost to serve, with every input shown.
import type { LifetimeValueDoc } from '../lifetime-value.ts'
import { validCertifications } from './facts.ts'
import { completedQuarters } from './journey.ts'
import { settingsAt, type SettingsDoc } from './settings.ts'
import { daysBetween, quarterOf, quartersEndingWith, round2, sumQuarters } from './time.ts'

export type ChurnSignal = { signal: string; adds: number }

export type LifetimeValue = {
  partnerId: string
  /** won revenue over the four quarters ending with now's */
  yearlyRevenue: number
  marginRate: number
  yearlyMargin: number
  /** co-investment paid over the same four quarters, and the co-funded-head part of it */
  yearlyCostToServe: number
  yearlyHeadsCost: number
  churnSignals: ChurnSignal[]
  /** yearly probability of leaving: base plus signals, bounded by settings */
  churnRate: number
  /** 1 / churnRate, capped by settings */
  expectedLifetimeYears: number
  lifetimeMargin: number
  lifetimeCostToServe: number
  /** lifetimeMargin - lifetimeCostToServe */
  value: number
}

/** Lifetime value of one partner on `now`. `trust` overrides the trust value kept with the facts (both follow the same rules). */
export function lifetimeValue(doc: LifetimeValueDoc, now: string, settings?: SettingsDoc | null, trust?: number): LifetimeValue {
  const s = settingsAt(settings ?? undefined, now)
  const l = s.lifetime
  const f = doc.facts
  const quarters = quartersEndingWith(quarterOf(now), 4)
  const yearlyRevenue = round2(quarters.reduce((n, q) => n + (f.won[q]?.revenue ?? 0), 0))
  const yearlyMargin = round2(yearlyRevenue * l.marginRate)
  const yearlyCostToServe = round2(sumQuarters(f.coInvestPaid, quarters))
  const yearlyHeadsCost = round2(sumQuarters(f.headsPaid, quarters))
  const signals: ChurnSignal[] = []
  if (f.lastActivityAt === null || daysBetween(f.lastActivityAt, now) > l.inactiveDays)
    signals.push({ signal: `No activity for more than ${l.inactiveDays} days`, adds: l.inactiveChurn })
  const recent = completedQuarters(now, l.noWinQuarters)
  if (recent.every((q) => (f.won[q]?.deals ?? 0) === 0)) signals.push({ signal: `No won deal in the last ${l.noWinQuarters} quarters`, adds: l.noWinChurn })
  if (f.certificationsLapsed > 0 && validCertifications(f, now).length === 0)
    signals.push({ signal: 'Every certification has lapsed', adds: l.certificationsLapsedChurn })
  if (f.psat && f.psat.average <= s.trust.psatLowAtMost) signals.push({ signal: `Last PSAT answer low (${f.psat.average} of 10)`, adds: l.lowPsatChurn })
  const t = trust ?? f.trust
  if (t < l.lowTrust) signals.push({ signal: `Trust below ${l.lowTrust} (${t})`, adds: l.lowTrustChurn })
  const churnRate = round2(Math.min(l.maxChurn, Math.max(l.minChurn, l.baseChurn + signals.reduce((n, x) => n + x.adds, 0))))
  const expectedLifetimeYears = round2(Math.min(l.maxLifetimeYears, 1 / churnRate))
  const lifetimeMargin = round2(yearlyMargin * expectedLifetimeYears)
  const lifetimeCostToServe = round2(yearlyCostToServe * expectedLifetimeYears)
  return {
    partnerId: doc.partnerId, yearlyRevenue, marginRate: l.marginRate, yearlyMargin, yearlyCostToServe, yearlyHeadsCost,
    churnSignals: signals, churnRate, expectedLifetimeYears, lifetimeMargin, lifetimeCostToServe, value: round2(lifetimeMargin - lifetimeCostToServe),
  }
}

/** Lifetime value of every approved partner on `now`, highest first. */
export function lifetimeValues(docs: readonly LifetimeValueDoc[], now: string, settings?: SettingsDoc | null): LifetimeValue[] {
  return docs
    .filter((d) => d?.facts?.status === 'approved')
    .map((d) => lifetimeValue(d, now, settings))
    .sort((a, b) => b.value - a.value || (a.partnerId < b.partnerId ? -1 : 1))
}
