// Journey phase rules read at a time: which conditions of each phase hold, what is still missing, and the funnel.
import type { JourneyDoc, JourneyPhase } from '../journey.ts'
import { phases } from '../journey.ts'
import { coInvestmentCountInForce, validCertificationCount, type PartnerFacts } from './facts.ts'
import { settingsAt, type InsightSettings, type SettingsDoc } from './settings.ts'
import { dayOf, plainUtcDay, quarterEnd, quarterOf, shiftQuarter } from './time.ts'

export type PhaseCheck = { phase: JourneyPhase; met: boolean; missing: string[] }
export type JourneyStatus = { phase: JourneyPhase; checks: PhaseCheck[] }

/** the latest quarter whose plan review was due (quarter end + grace days) on `at`'s day */
function lastDueReviewQuarter(at: string, graceDays: number): string {
  // of a plain UTC instant, a function of its day and the grace days: remembered per pair, as every event asks
  const plain = plainUtcDay(at)
  if (plain === null) return dueQuarter(dayOf(at), quarterOf(at), graceDays)
  let byDay = lastDueByGrace.get(graceDays)
  if (!byDay) lastDueByGrace.set(graceDays, (byDay = new Map()))
  let known = byDay.get(plain)
  if (known === undefined) {
    if (byDay.size >= 10_000) byDay.clear()
    byDay.set(plain, (known = dueQuarter(plain, quarterOf(plain), graceDays)))
  }
  return known
}
const lastDueByGrace = new Map<number, Map<string, string>>()

function dueQuarter(day: string, quarter: string, graceDays: number): string {
  let q = shiftQuarter(quarter, -1)
  for (;;) {
    const due = new Date(Date.parse(`${quarterEnd(q)}T00:00:00Z`) + graceDays * 86_400_000).toISOString().slice(0, 10)
    if (due < day) return q
    q = shiftQuarter(q, -1)
  }
}

/** is the joint plan's governance on time on `at`: the review of the latest due quarter was held on time (or, before any was due, one review was) */
function planReviewedOnTime(f: PartnerFacts, at: string, s: InsightSettings): boolean {
  if (!f.plan) return false
  const due = lastDueReviewQuarter(at, s.journey.planReviewGraceDays)
  if (due < quarterOf(f.plan.createdOn)) return f.plan.reviews.some((r) => r.onTime)
  return f.plan.reviews.some((r) => r.quarter === due && r.onTime)
}

/** the last `n` completed quarters before `at`'s quarter, oldest first */
export function completedQuarters(at: string, n: number): string[] {
  const current = quarterOf(at)
  const out: string[] = []
  for (let i = n; i >= 1; i--) out.push(shiftQuarter(current, -i))
  return out
}

/** completedQuarters, shared and remembered per quarter and count (read only) */
function completedQuartersOf(at: string, n: number): readonly string[] {
  const current = quarterOf(at)
  let byCount = completedByQuarter.get(current)
  if (!byCount) {
    if (completedByQuarter.size >= 1_000) completedByQuarter.clear()
    completedByQuarter.set(current, (byCount = new Map()))
  }
  let quarters = byCount.get(n)
  if (!quarters) byCount.set(n, (quarters = completedQuarters(at, n)))
  return quarters
}
const completedByQuarter = new Map<string, Map<number, string[]>>()

/**
 * journeyStatus(f, at, s).phase, without building the checks and their words: the folds ask on every event, and need
 * the checks only when the phase falls back.
 */
export function journeyPhase(f: PartnerFacts, at: string, s: InsightSettings): JourneyPhase {
  const j = s.journey
  if (f.status !== 'approved') return 'interest'
  if (!(validCertificationCount(f, at) >= j.activationCertifications && f.approvedDeals >= j.activationApprovedDeals)) return 'recruitment'
  if (!(coInvestmentCountInForce(f) > 0 || f.plan !== null)) return 'activation'
  let wonQuarters = 0
  let wonDeals = 0
  for (const q of completedQuartersOf(at, j.devotionQuarters)) {
    const deals = f.won[q]?.deals ?? 0
    if (deals > 0) wonQuarters++
    wonDeals += deals
  }
  const devoted = !(wonQuarters < j.devotionWonQuarters) && !(wonDeals < j.devotionWonDeals) && !(f.trust < j.devotionTrust) && planReviewedOnTime(f, at, s)
  return devoted ? 'devotion' : 'investment'
}

/** evaluates every phase's conditions on the partner's facts at `at`; the phase is the highest one whose conditions and all lower ones hold */
export function journeyStatus(f: PartnerFacts, at: string, s: InsightSettings): JourneyStatus {
  const j = s.journey
  const certs = validCertificationCount(f, at)
  const inForce = coInvestmentCountInForce(f)
  const quarters = completedQuarters(at, j.devotionQuarters)
  const wonQuarters = quarters.filter((q) => (f.won[q]?.deals ?? 0) > 0)
  const wonDeals = quarters.reduce((n, q) => n + (f.won[q]?.deals ?? 0), 0)
  const checks: PhaseCheck[] = [
    { phase: 'interest', met: f.status !== 'unknown', missing: f.status === 'unknown' ? ['Apply to the program'] : [] },
    {
      phase: 'recruitment',
      met: f.status === 'approved',
      missing: f.status === 'approved' ? [] : f.status === 'rejected' ? ['The application was rejected; apply again'] : ['The vendor approves the application'],
    },
    {
      phase: 'activation',
      met: certs >= j.activationCertifications && f.approvedDeals >= j.activationApprovedDeals,
      missing: [
        ...(certs < j.activationCertifications ? [j.activationCertifications - certs === 1 && certs === 0 ? 'Earn a first certification' : `Hold ${j.activationCertifications} valid certifications (now ${certs})`] : []),
        ...(f.approvedDeals < j.activationApprovedDeals ? [f.approvedDeals === 0 ? 'Get a first deal registration approved' : `Get ${j.activationApprovedDeals} deal registrations approved (now ${f.approvedDeals})`] : []),
      ],
    },
    {
      phase: 'investment',
      met: inForce > 0 || f.plan !== null,
      missing: inForce > 0 || f.plan !== null ? [] : ['Invest together: an approved co-investment or co-funded head for an open quarter, or a joint business plan'],
    },
    (() => {
      const missing: string[] = []
      if (wonQuarters.length < j.devotionWonQuarters) {
        // only quarters the partner was in the program for: before it joined, nothing could be won
        const joined = f.approvedOn ?? f.appliedOn
        const without = quarters.filter((q) => !wonQuarters.includes(q) && (!joined || quarterEnd(q) >= joined))
        missing.push(`Win deals in ${j.devotionWonQuarters} of the last ${j.devotionQuarters} quarters${without.length ? ` (none won in ${without.join(', ')})` : ''}`)
      }
      if (wonDeals < j.devotionWonDeals) missing.push(`Win ${j.devotionWonDeals} deals over the last ${j.devotionQuarters} quarters (now ${wonDeals})`)
      if (f.trust < j.devotionTrust) missing.push(`Trust at ${j.devotionTrust} or more (now ${f.trust})`)
      if (!planReviewedOnTime(f, at, s)) missing.push(f.plan ? 'Review the joint business plan on time every quarter' : 'Agree a joint business plan and review it on time')
      return { phase: 'devotion' as const, met: missing.length === 0, missing }
    })(),
  ]
  let phase: JourneyPhase = 'interest'
  for (const check of checks) {
    if (!check.met) break
    phase = check.phase
  }
  return { phase, checks }
}

export type JourneyNow = {
  partnerId: string
  /** the phase on `now` (quarters roll and certifications expire without an event) */
  phase: JourneyPhase
  /** the phase recorded at the partner's last event */
  recordedPhase: JourneyPhase
  /** the concrete things still missing for the next phase (empty at devotion) */
  nextNeeds: string[]
  checks: PhaseCheck[]
  history: JourneyDoc['history']
}

/** The partner's journey on `now`, with what the next phase still needs. */
export function journeyNow(doc: JourneyDoc, now: string, settings?: SettingsDoc | null): JourneyNow {
  const s = settingsAt(settings ?? undefined, now)
  const status = journeyStatus(doc.facts, now, s)
  const index = phases.indexOf(status.phase)
  const next = status.checks.slice(index + 1).find((c) => !c.met)
  return { partnerId: doc.partnerId, phase: status.phase, recordedPhase: doc.phase, nextNeeds: next?.missing ?? [], checks: status.checks, history: doc.history }
}

/** Partners per phase on `now` (the funnel), for approved and applying partners alike. */
export function journeyFunnel(docs: readonly JourneyDoc[], now: string, settings?: SettingsDoc | null): Record<JourneyPhase, number> {
  const funnel = Object.fromEntries(phases.map((p) => [p, 0])) as Record<JourneyPhase, number>
  const s = settingsAt(settings ?? undefined, now)
  for (const doc of docs) {
    if (!doc?.facts) continue
    funnel[journeyStatus(doc.facts, now, s).phase]++
  }
  return funnel
}
