// The relationship pyramid across the program: its shape, partners whose vendor effort does not match their stage, and the cost of sale per level.
import type { ProgramQuarterDoc } from '../program.ts'
import type { PyramidDoc } from '../pyramid.ts'
import type { PartnerFacts } from './facts.ts'
import { pyramidStatus, stages, type PyramidStage, type StageCheck } from './pyramid-rules.ts'
import { settingsAt, type InsightSettings, type SettingsDoc } from './settings.ts'
import { quarterOf, quartersEndingWith, round2, sumQuarters } from './time.ts'

export { stages, type PyramidStage }

export type PyramidNow = { partnerId: string; stage: PyramidStage | null; recordedStage: PyramidStage | null; checks: StageCheck[]; nextNeeds: string[] }

export function pyramidNow(doc: PyramidDoc, now: string, settings?: SettingsDoc | null): PyramidNow {
  const status = pyramidStatus(doc.facts, now, settingsAt(settings ?? undefined, now))
  const next = status.checks.find((c) => !c.met)
  return { partnerId: doc.partnerId, stage: status.stage, recordedStage: doc.stage, checks: status.checks, nextNeeds: next?.missing ?? [] }
}

/** vendor effort over the four quarters ending with `now`'s: co-investment paid (incl. co-funded heads) plus held workshops at their cost */
export function vendorEffort(f: PartnerFacts, now: string, s: InsightSettings): { coInvestmentPaid: number; workshops: number; effort: number; revenue: number } {
  const quarters = quartersEndingWith(quarterOf(now), 4)
  const coInvestmentPaid = round2(sumQuarters(f.coInvestPaid, quarters))
  const workshops = sumQuarters(f.workshopsHeld, quarters)
  const revenue = round2(quarters.reduce((n, q) => n + (f.won[q]?.revenue ?? 0), 0))
  return { coInvestmentPaid, workshops, effort: round2(coInvestmentPaid + workshops * s.pyramid.workshopCost), revenue }
}

export type PyramidPartner = {
  partnerId: string
  company: string | null
  stage: PyramidStage
  effort: number
  revenue: number
  /** 'over': more effort than the typical partner one level up; 'under': less than the typical partner one level down */
  mismatch: 'over' | 'under' | null
  /** the median effort of the level it is compared with, when mismatched (the page words and formats it) */
  typical: { stage: PyramidStage; effort: number } | null
}

export type PyramidLevel = {
  stage: PyramidStage
  partners: number
  medianEffort: number
  effort: number
  coInvestmentPaid: number
  revenue: number
  /** (co-investment + vendor effort) per unit of won revenue; null without revenue */
  costOfSale: number | null
}

export type ProgramPyramid = { levels: PyramidLevel[]; partners: PyramidPartner[]; mismatched: PyramidPartner[] }

const median = (values: number[]) => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The pyramid on `now`: partners per stage (bottom first), effort and cost of sale per level, and effort mismatches. */
export function programPyramid(docs: readonly PyramidDoc[], now: string, settings?: SettingsDoc | null): ProgramPyramid {
  const s = settingsAt(settings ?? undefined, now)
  const partners: (PyramidPartner & { paid: number })[] = []
  for (const doc of docs) {
    if (!doc?.facts) continue
    const { stage } = pyramidStatus(doc.facts, now, s)
    if (stage === null) continue
    const e = vendorEffort(doc.facts, now, s)
    partners.push({ partnerId: doc.partnerId, company: doc.facts.company, stage, effort: e.effort, revenue: e.revenue, paid: e.coInvestmentPaid, mismatch: null, typical: null })
  }
  const medians = stages.map((stage) => median(partners.filter((p) => p.stage === stage).map((p) => p.effort)))
  for (const p of partners) {
    const i = stages.indexOf(p.stage)
    const above = medians[i + 1]
    const below = i > 0 ? medians[i - 1] : null
    if (above != null && p.effort > above) {
      p.mismatch = 'over'
      p.typical = { stage: stages[i + 1]!, effort: round2(above) }
    } else if (below != null && p.effort < below) {
      p.mismatch = 'under'
      p.typical = { stage: stages[i - 1]!, effort: round2(below) }
    }
  }
  const levels: PyramidLevel[] = stages.map((stage, i) => {
    const members = partners.filter((p) => p.stage === stage)
    const effort = round2(members.reduce((n, p) => n + p.effort, 0))
    const revenue = round2(members.reduce((n, p) => n + p.revenue, 0))
    return {
      stage, partners: members.length, medianEffort: round2(medians[i] ?? 0), effort,
      coInvestmentPaid: round2(members.reduce((n, p) => n + p.paid, 0)), revenue, costOfSale: revenue > 0 ? round2(effort / revenue) : null,
    }
  })
  const out = partners.map(({ paid: _, ...p }) => p).sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1))
  return { levels, partners: out, mismatched: out.filter((p) => p.mismatch !== null) }
}

export type { ProgramQuarterDoc }
