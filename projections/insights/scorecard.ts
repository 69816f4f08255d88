// 5C scorecard: each C normalised 0-100 within the partner's group, a weighted composite, the rank in the group and the trend.
import type { ScorecardDoc } from '../scorecard.ts'
import { validCertifications, type PartnerFacts } from './facts.ts'
import { settingsAt, type InsightSettings, type SettingsDoc } from './settings.ts'
import { quarterEndInstant, quarterOf, quartersEndingWith, round2, shiftQuarter, sumQuarters } from './time.ts'

export const Cs = ['contribution', 'consumption', 'coverage', 'capability', 'commitment'] as const
export type C = (typeof Cs)[number]

/** the raw measures behind each C, over the four quarters ending with the quarter of `at` */
export type RawMeasures = {
  contribution: { wonRevenue: number }
  consumption: { assetUse: number; trainingCompletions: number }
  coverage: { geographies: number; segments: number; customers: number }
  capability: { certifications: number }
  commitment: { coInvestment: number; planInForce: number; workshops: number }
}

export function rawMeasures(f: PartnerFacts, at: string): RawMeasures {
  const quarters = quartersEndingWith(quarterOf(at), 4)
  const oldest = quarters[0]!
  const won = quarters.reduce((sum, q) => sum + (f.won[q]?.revenue ?? 0), 0)
  const customers = Object.values(f.customers).filter((q) => q >= oldest && q <= quarters[3]!).length
  return {
    contribution: { wonRevenue: round2(won) },
    consumption: { assetUse: sumQuarters(f.assetUse, quarters), trainingCompletions: sumQuarters(f.completions, quarters) },
    coverage: { geographies: f.geographies.length, segments: f.segments.length, customers },
    capability: { certifications: validCertifications(f, at).length },
    commitment: {
      coInvestment: round2(sumQuarters(f.coInvestApproved, quarters)),
      planInForce: f.plan && f.plan.createdOn <= at.slice(0, 10) ? 1 : 0,
      workshops: sumQuarters(f.workshopsHeld, quarters),
    },
  }
}

export type ScorecardRow = {
  partnerId: string
  company: string | null
  group: string
  raw: RawMeasures
  /** each C 0-100: the mean of its measures, each as a share of the group's best */
  scores: Record<C, number>
  composite: number
  /** 1 = best in the group; equal composites share a rank */
  rank: number
  groupSize: number
  /** composite at the end of the previous quarter (same group), null when the partner had no facts then */
  previousComposite: number | null
  /** composite minus previousComposite */
  trend: number | null
}

const groupOf = (f: PartnerFacts, s: InsightSettings) => (s.scorecard.groupBy === 'partnerType' ? f.partnerType : f.tier) ?? 'ungrouped'

/** scores every C of every partner in the list, normalising within groups */
function score(facts: readonly PartnerFacts[], at: string, s: InsightSettings) {
  const raws = facts.map((f) => ({ f, group: groupOf(f, s), raw: rawMeasures(f, at) }))
  const maxima = new Map<string, Record<string, number>>()
  for (const { group, raw } of raws) {
    const max = maxima.get(group) ?? {}
    for (const c of Cs) for (const [m, v] of Object.entries(raw[c])) max[`${c}.${m}`] = Math.max(max[`${c}.${m}`] ?? 0, v)
    maxima.set(group, max)
  }
  const w = s.scorecard.weights
  const totalWeight = Cs.reduce((n, c) => n + Math.max(0, w[c]), 0) || 1
  return raws.map(({ f, group, raw }) => {
    const max = maxima.get(group)!
    const scores = {} as Record<C, number>
    for (const c of Cs) {
      const entries = Object.entries(raw[c])
      const shares = entries.map(([m, v]) => ((max[`${c}.${m}`] ?? 0) > 0 ? (100 * v) / max[`${c}.${m}`]! : 0))
      scores[c] = round2(shares.reduce((a, b) => a + b, 0) / entries.length)
    }
    const composite = round2(Cs.reduce((n, c) => n + scores[c] * Math.max(0, w[c]), 0) / totalWeight)
    return { f, group, raw, scores, composite }
  })
}

/** approved partners only: applicants and rejected ones are not scored */
const scored = (docs: readonly ScorecardDoc[]) => docs.filter((d) => d?.facts?.status === 'approved').map((d) => d.facts)

/** The 5C scorecard of every approved partner on `now`, ranked within its group (tier or partner type, per settings). */
export function scorecards(docs: readonly ScorecardDoc[], now: string, settings?: SettingsDoc | null): ScorecardRow[] {
  const s = settingsAt(settings ?? undefined, now)
  const facts = scored(docs)
  const current = score(facts, now, s)
  const previousAt = quarterEndInstant(shiftQuarter(quarterOf(now), -1))
  // the previous quarter: the same partners and groups, measured at that quarter's end
  const existedThen = facts.filter((f) => f.approvedOn !== null && f.approvedOn <= previousAt.slice(0, 10))
  const previous = new Map(score(existedThen, previousAt, s).map((r) => [r.f.partnerId, r.composite]))
  const byGroup = new Map<string, typeof current>()
  for (const row of current) byGroup.set(row.group, [...(byGroup.get(row.group) ?? []), row])
  const rows: ScorecardRow[] = []
  for (const [group, members] of byGroup) {
    const ordered = [...members].sort((a, b) => b.composite - a.composite || (a.f.partnerId < b.f.partnerId ? -1 : 1))
    ordered.forEach((row, i) => {
      const rank = i > 0 && ordered[i - 1]!.composite === row.composite ? rows.at(-1)!.rank : i + 1
      const previousComposite = previous.get(row.f.partnerId) ?? null
      rows.push({
        partnerId: row.f.partnerId, company: row.f.company, group, raw: row.raw, scores: row.scores, composite: row.composite, rank,
        groupSize: ordered.length, previousComposite, trend: previousComposite === null ? null : round2(row.composite - previousComposite),
      })
    })
  }
  return rows.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.rank - b.rank || (a.partnerId < b.partnerId ? -1 : 1)))
}

/** One partner's scorecard row on `now` (the group's documents are needed to normalise), or null. */
export function scorecardFor(docs: readonly ScorecardDoc[], partnerId: string, now: string, settings?: SettingsDoc | null): ScorecardRow | null {
  return scorecards(docs, now, settings).find((r) => r.partnerId === partnerId) ?? null
}
